import { clipText, DETAIL_CHARS, MESSAGE_CHARS } from '../core/text-bounds.ts';
import type { CheckResult } from './results.ts';

/** Longest transcript line kept (an output line is already cut shorter as it is read). */
const TRANSCRIPT_LINE_CHARS = 600;

/**
 * A check's result with everything that can quote the program cut to size, so that no
 * program, whatever it prints or sends, makes a report large (DESIGN rule 8): the message
 * stays under 16 KiB even as JSON.
 */
export function boundedResult(check: CheckResult): CheckResult {
  const bounded: CheckResult = { ...check, message: clipText(check.message, MESSAGE_CHARS) };
  if (check.details) {
    bounded.details = Object.fromEntries(
      Object.entries(check.details).map(([key, value]) => [key, typeof value === 'string' ? clipText(value, DETAIL_CHARS) : value]),
    );
  }
  if (check.transcript) bounded.transcript = check.transcript.map((line) => clipText(line, TRANSCRIPT_LINE_CHARS));
  return bounded;
}
