import { readFileSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../core/paths.ts';
import type { TypeCheckOutcome, TypeScriptError } from '../process/type-check.ts';
import type { CheckResult } from './results.ts';

/**
 * The "type-checks" check: what TypeScript's strict check says about the learner's file, as a
 * check of its own beside the behaviour checks (DESIGN rule 9). A type error fails it, and so
 * the lesson, whatever the behaviour checks say; it never stops them from running.
 */
export const TYPE_CHECK = { id: 'type-checks', name: 'type-checks: no type errors with strict TypeScript' } as const;

const EXPLANATION =
  'Your program runs in spite of type errors (Node.js runs it with the types taken out, so the other checks could pass), but each ' +
  'is a mistake TypeScript sees without running anything: a value that may be undefined, a misspelt property, a string where a ' +
  'number belongs. Fix them from the first: the line and column say where, the message says what TypeScript expected.';

/** The check's result for the lesson whose entry file is `entry`, once `outcome` is known. */
export async function typeCheckResult(outcome: Promise<TypeCheckOutcome>, entry: string): Promise<CheckResult> {
  const checked = await outcome;
  const result = (status: CheckResult['status'], message = '', details?: CheckResult['details']): CheckResult => ({
    ...TYPE_CHECK,
    status,
    message,
    ...(details ? { details } : {}),
    durationMs: checked.durationMs ?? 0,
  });
  if (checked.kind === 'not-checked') return result('skipped', `Not checked: ${checked.reason}`);
  // Checked together with other lessons' files, this lesson's errors are those in its folder, and those
  // in no checked lesson's folder (a file it imports from elsewhere), which may be any lesson's.
  const inFolderOf = (root: string, file: string) => file.startsWith(`${path.dirname(root)}${path.sep}`);
  const ours = (file: string | undefined) => file === undefined || inFolderOf(entry, file) || !checked.roots.some((root) => inFolderOf(root, file));
  const total = [...checked.counts].filter(([file]) => ours(file)).reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return result('passed');
  const errors = checked.errors.filter((error) => ours(error.file));
  const more = total - errors.length;
  const frames = errors.map(codeFrame).join('\n\n') + (more > 0 ? `\n\n… and ${more} more type error${more === 1 ? '' : 's'}` : '');
  const files = [...checked.counts.keys()].filter((file) => file !== undefined && ours(file)).map((file) => displayPath(file!));
  return result('failed', `TypeScript found ${total} type error${total === 1 ? '' : 's'} in ${files.join(', ') || displayPath(entry)}.`, {
    expected: 'no type errors, with TypeScript strict',
    received: frames,
    explanation: EXPLANATION,
  });
}

/**
 * One error as compilers show it: `file:line:column: error TS2322: message`, its elaboration,
 * then the line itself with a caret under the column.
 */
function codeFrame(error: TypeScriptError): string {
  const heading = `error TS${error.code}: ${error.message}`;
  if (error.file === undefined) return heading;
  const where = `${displayPath(error.file)}:${error.line}:${error.column}`;
  const text = lineOf(error.file, error.line);
  if (text === undefined) return `${where}: ${heading}`;
  const shown = around(text, error.column - 1);
  const gutter = String(error.line);
  // The caret lines up under tabs too: the padding keeps the tabs before the column.
  const padding = shown.text.slice(0, shown.column).replace(/[^\t]/g, ' ');
  return [`${where}: ${heading}`, `  ${gutter} | ${shown.text}`, `  ${' '.repeat(gutter.length)} | ${padding}^`].join('\n');
}

/** Longer lines are cut to a window of this many characters around the column. */
const SHOWN_LINE_CHARS = 100;

/** The part of `line` to show, and where the (0-based) column falls in it. */
function around(line: string, column: number): { text: string; column: number } {
  if (line.length <= SHOWN_LINE_CHARS) return { text: line, column };
  const start = Math.max(0, Math.min(column - SHOWN_LINE_CHARS / 2, line.length - SHOWN_LINE_CHARS));
  const before = start > 0 ? '…' : '';
  const after = start + SHOWN_LINE_CHARS < line.length ? '…' : '';
  return { text: `${before}${line.slice(start, start + SHOWN_LINE_CHARS)}${after}`, column: column - start + before.length };
}

function lineOf(file: string, line: number): string | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n')[line - 1]?.replace(/\r$/, '').trimEnd();
  } catch {
    return undefined;
  }
}
