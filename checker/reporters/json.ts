import type { Report } from '../running/results.ts';

/**
 * The machine-readable report for graders and CI: one JSON document on stdout, its schema
 * (versioned, stable) documented in docs/grading.md. Failed checks carry details and transcripts.
 */
export function jsonReport(report: Report): string {
  return JSON.stringify({ schemaVersion: 1, ...report }, null, 2);
}
