/**
 * Limits on what a report repeats of a program's doings (DESIGN rule 8): a program can print
 * megabytes, or send a message of any length, and the report must stay readable and small.
 */

/** A failed check's message, at most: even with every character escaped in JSON (6 bytes), under 16 KiB. */
export const MESSAGE_CHARS = 2_000;
/** Each of a failure's details (expected, received, how to fix), at most. */
export const DETAIL_CHARS = 4_000;
/** One line of an excerpt of output, at most. */
const EXCERPT_LINE_CHARS = 200;

/** `text`, cut to at most `max` characters (plus a note of how much was cut). */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never half a surrogate pair: an emoji cut in two is not valid text.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}… (${(text.length - end).toLocaleString('en-US')} more characters)`;
}

/** Each line of `text` cut to `max` characters. */
export function clipLines(text: string, max = EXCERPT_LINE_CHARS): string {
  return text
    .split('\n')
    .map((line) => clipText(line, max))
    .join('\n');
}

/** A size in bytes for people: "830 bytes", "12 kB", "3.4 MB". */
export function describeSize(bytes: number): string {
  if (bytes < 1_000) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1_000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
