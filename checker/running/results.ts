import type { FailureDetails } from '../core/errors.ts';

export type Status = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  id: string;
  name: string;
  status: Status;
  /** Why it failed or was skipped; empty when it passed. */
  message: string;
  details?: FailureDetails;
  /** The events of the check, on failure. */
  transcript?: string[];
  durationMs: number;
}

export interface LessonResult {
  id: string;
  slug: string;
  title: string;
  status: Status;
  durationMs: number;
  checks: CheckResult[];
}

export interface Report {
  lessons: LessonResult[];
  summary: { passed: number; failed: number; skipped: number };
}

export function lessonStatus(checks: CheckResult[]): Status {
  if (checks.some((check) => check.status === 'failed')) return 'failed';
  if (checks.length > 0 && checks.every((check) => check.status === 'skipped')) return 'skipped';
  return 'passed';
}

export function summarize(lessons: LessonResult[]): Report {
  const count = (status: Status) => lessons.filter((lesson) => lesson.status === status).length;
  return { lessons, summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') } };
}
