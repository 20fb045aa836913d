import { colors as pc } from '../terminal/colors.ts';
import type { CheckResult, LessonResult, Report, Status } from '../running/results.ts';

/** How results read in a terminal: a line per check, and on failure what to look at. */

const MARK: Record<Status, string> = { passed: pc.green('✓'), failed: pc.red('✗'), skipped: pc.dim('–') };

function lessonHeading(lesson: Pick<LessonResult, 'id' | 'title'>): string {
  return pc.bold(`Lesson ${lesson.id} · ${lesson.title}`);
}

/** Every check of one lesson, with the details of each failure. */
export function formatLesson(lesson: LessonResult): string {
  const lines = [lessonHeading(lesson)];
  lesson.checks.forEach((check, index) => {
    lines.push(`  ${MARK[check.status]} ${check.status === 'skipped' ? pc.dim(check.name) : check.name}`);
    if (check.caughtBy) lines.push(pc.dim(`      ${caughtBy(check.caughtBy)}`));
    if (check.status === 'failed') lines.push(...formatFailure(check).map((line) => `      ${line}`));
    // A run of checks skipped for the same reason gives the reason once, after the run.
    const next = lesson.checks[index + 1];
    const runEnds = next?.status !== 'skipped' || next.message !== check.message;
    if (check.status === 'skipped' && check.message && runEnds) lines.push(pc.dim(`      ${check.message}`));
  });
  lines.push('', verdictLine(lesson));
  return lines.join('\n');
}

/** Which of the learner's tests caught a wrong server: the first, and how many more. */
function caughtBy(tests: string[]): string {
  const more = tests.length - 1;
  return `caught by “${tests[0]}”${more > 0 ? ` (and ${more} more test${more > 1 ? 's' : ''})` : ''}`;
}

function formatFailure(check: CheckResult): string[] {
  // A message may span lines (a code frame): each is indented like the rest of the failure.
  const lines = check.message.split('\n').map((line) => pc.red(line));
  const { expected, received, explanation } = check.details ?? {};
  if (expected !== undefined) lines.push(`${pc.dim('expected:')} ${expected}`);
  if (received !== undefined) lines.push(...labelled('received:', received));
  if (explanation) lines.push(...labelled('how to fix:', explanation).map((line) => pc.yellow(line)));
  if (check.transcript && check.transcript.length > 0) {
    lines.push(pc.dim('transcript (ms since the check began):'));
    lines.push(...check.transcript.map((line) => pc.dim(`  ${line}`)));
  }
  return lines;
}

function labelled(label: string, text: string): string[] {
  const [first = '', ...rest] = text.split('\n');
  return [`${pc.dim(label)} ${first}`, ...rest.map((line) => `  ${line}`)];
}

function verdictLine(lesson: LessonResult): string {
  const passed = lesson.checks.filter((c) => c.status === 'passed').length;
  const skipped = lesson.checks.filter((c) => c.status === 'skipped').length;
  // A lesson that passed with checks skipped passed only what ran: the verdict says so.
  const skippedToo = skipped > 0 && lesson.status !== 'skipped' ? `, ${skipped} skipped,` : '';
  const counted = `${passed} of ${lesson.checks.length} checks passed${skippedToo} in ${(lesson.durationMs / 1000).toFixed(1)} s`;
  if (lesson.status === 'passed' && skipped > 0) return pc.green(`Lesson ${lesson.id} passed what ran: ${counted}.`);
  if (lesson.status === 'passed') return pc.green(`Lesson ${lesson.id} passed: ${counted}.`);
  if (lesson.status === 'skipped') return pc.dim(`Lesson ${lesson.id} was skipped: ${counted}.`);
  return pc.red(`Lesson ${lesson.id} is not passing yet: ${counted}.`);
}

/** One line per lesson, then the details of the first failing lesson. */
export function formatSummary(report: Report): string {
  const slugWidth = Math.max(0, ...report.lessons.map((lesson) => lesson.slug.length));
  const titleWidth = Math.max(0, ...report.lessons.map((lesson) => lesson.title.length));
  const lines = report.lessons.map((lesson) => {
    const passed = lesson.checks.filter((c) => c.status === 'passed').length;
    const count = pc.dim(`${passed}/${lesson.checks.length}`);
    return `${MARK[lesson.status]} ${lesson.id} ${lesson.slug.padEnd(slugWidth)} ${lesson.title.padEnd(titleWidth)} ${count}`;
  });
  const firstFailure = report.lessons.find((lesson) => lesson.status === 'failed');
  const { passed, failed, skipped } = report.summary;
  lines.push('', `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  if (firstFailure) {
    lines.push('', `The first lesson that is not passing yet, in detail (\`npm run check -- ${Number(firstFailure.id)}\` shows just this one):`, '');
    lines.push(formatLesson(firstFailure));
  }
  return lines.join('\n');
}
