import type { Report } from '../results.ts';

/**
 * The machine-readable report for graders and CI: one JSON document on stdout, schema
 * documented in the README ("Grading"). Transcripts and details are included for failed checks.
 */
export function jsonReport(report: Report): string {
  return JSON.stringify({ schemaVersion: 1, ...report }, null, 2);
}
