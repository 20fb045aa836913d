/**
 * A compiler's complaint about a place in a file, shown the way editors and compilers show it:
 * `file:line:column: message`, then the line itself with a caret under the column.
 */
export interface SourcePlace {
  /** The file as the reader should see it (relative to the workbook, usually). */
  file: string;
  /** 1-based. */
  line: number;
  /** 0-based, in characters. */
  column: number;
  /** The text of that line. */
  lineText: string;
}

/** Longer lines are cut to a window around the column, so a report stays readable. */
const MAX_SHOWN = 100;

export function codeFrame(place: SourcePlace, message: string): string {
  const { text, column } = around(place.lineText, place.column);
  const gutter = String(place.line);
  // The caret lines up under tabs too: the padding keeps the tabs of the line before the column.
  const padding = text.slice(0, column).replace(/[^\t]/g, ' ');
  return [`${place.file}:${place.line}:${place.column + 1}: ${message}`, `  ${gutter} | ${text}`, `  ${' '.repeat(gutter.length)} | ${padding}^`].join('\n');
}

/** The part of `line` to show, and where the column falls in it. */
function around(line: string, column: number): { text: string; column: number } {
  const trimmed = line.trimEnd();
  if (trimmed.length <= MAX_SHOWN) return { text: trimmed, column };
  const start = Math.max(0, Math.min(column - MAX_SHOWN / 2, trimmed.length - MAX_SHOWN));
  const end = start + MAX_SHOWN;
  const before = start > 0 ? '…' : '';
  const after = end < trimmed.length ? '…' : '';
  return { text: `${before}${trimmed.slice(start, end)}${after}`, column: column - start + before.length };
}

/** esbuild counts columns in UTF-8 bytes; a learner's line may hold letters of several bytes. */
export function characterColumn(lineText: string, byteColumn: number): number {
  return Buffer.from(lineText, 'utf8').subarray(0, byteColumn).toString('utf8').length;
}
