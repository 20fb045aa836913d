import type { CheckResult, LessonResult, Report } from '../running/results.ts';

/**
 * The report as JUnit XML, which CI systems and graders read: one <testsuite> per lesson, one
 * <testcase> per check. A failed check has a <failure> whose message attribute is the failure
 * message and whose text is everything the terminal shows (expected, received, how to fix, the
 * transcript); a skipped check has a <skipped> with the reason. Schema notes: docs/grading.md.
 */
export function junitReport(report: Report): string {
  const all = report.lessons.flatMap((lesson) => lesson.checks);
  const totalMs = report.lessons.reduce((sum, lesson) => sum + lesson.durationMs, 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="websocket-workbook" ${counts(all)} time="${seconds(totalMs)}">`];
  for (const lesson of report.lessons) lines.push(...testsuite(lesson));
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testsuite(lesson: LessonResult): string[] {
  const name = `${lesson.id}-${lesson.slug}`;
  const lines = [`  <testsuite name="${attribute(`${name}: ${lesson.title}`)}" ${counts(lesson.checks)} time="${seconds(lesson.durationMs)}">`];
  for (const check of lesson.checks) {
    const open = `    <testcase classname="${attribute(`lessons.${name}`)}" name="${attribute(`${check.name} [${check.id}]`)}" time="${seconds(check.durationMs)}"`;
    if (check.status === 'passed') {
      lines.push(`${open}/>`);
    } else if (check.status === 'skipped') {
      lines.push(`${open}>`, `      <skipped message="${attribute(check.message)}"/>`, '    </testcase>');
    } else {
      lines.push(
        `${open}>`,
        `      <failure message="${attribute(check.message)}" type="CheckFailure">${text(failureText(check))}</failure>`,
        '    </testcase>',
      );
    }
  }
  lines.push('  </testsuite>');
  return lines;
}

function counts(checks: CheckResult[]): string {
  const count = (status: CheckResult['status']) => checks.filter((check) => check.status === status).length;
  return `tests="${checks.length}" failures="${count('failed')}" errors="0" skipped="${count('skipped')}"`;
}

/** What the terminal shows for a failure, as plain text. */
function failureText(check: CheckResult): string {
  const { expected, received, explanation } = check.details ?? {};
  const parts = [check.message];
  if (expected !== undefined) parts.push(`expected: ${expected}`);
  if (received !== undefined) parts.push(`received: ${received}`);
  if (explanation) parts.push(`how to fix: ${explanation}`);
  if (check.transcript?.length) parts.push('transcript (ms since the check began):', ...check.transcript.map((line) => `  ${line}`));
  return parts.join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * Characters XML 1.0 cannot hold at all, not even as references: control characters other
 * than tab, newline and carriage return, U+FFFE, U+FFFF, and halves of surrogate pairs.
 * A learner's program can print any of them (colour codes are ESC), so they are written as
 * visible escapes like \x1B instead.
 */
const UNREPRESENTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase()}`;
}

/** Escapes character data. */
function text(value: string): string {
  return value.replace(UNREPRESENTABLE, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes an attribute value (double-quoted); tabs and line breaks survive as references. */
function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
