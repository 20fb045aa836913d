import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { mapConcurrently } from '../core/concurrency.ts';
import type { ProgramSource } from '../process/program.ts';
import { typeCheck, type TypeCheckOutcome } from '../process/type-check.ts';
import type { Lesson } from '../running/lessons.ts';
import { updateProgress } from '../running/progress.ts';
import { ServersAhead } from '../running/servers-ahead.ts';
import { summarize, type LessonResult, type Report } from '../running/results.ts';
import { jsonReport } from '../reporters/json.ts';
import { formatLesson, formatSummary } from '../reporters/terminal.ts';

/**
 * Checking lessons once, as `npm run check` and every save in watch mode do: run them, record
 * the learner's progress, and format the report.
 */

/** What to check and how to report it, from the command line. */
export interface CheckRequest {
  lessons: Lesson[];
  /** Which program plays the learner's part, per lesson. */
  sourceFor: (lesson: Lesson) => ProgramSource;
  /** Only the learner's own exercises count towards progress. */
  recordsProgress: boolean;
  json: boolean;
  /** Where to write a JUnit XML report as well, if anywhere. */
  junit: string | undefined;
  single: boolean;
  /** Check again on every save of the lesson's folder (exactly one lesson). */
  watch: boolean;
}

/** How many lessons are checked at a time: as many as there are cores, at least two. */
export const CONCURRENT_LESSONS = Math.max(2, availableParallelism());

/**
 * Runs the requested lessons, concurrently up to the number of cores. The first lessons to be
 * checked take their servers from those started `ahead`, or start them now, while the checker
 * loads the code that runs the checks.
 */
export async function runChecks(request: CheckRequest, ahead = new ServersAhead()): Promise<Report> {
  // Lessons that run beside each other are checked one after another: none waits for a group to drain.
  const order = checkingOrder(request.lessons);
  const early = new Map(order.slice(0, CONCURRENT_LESSONS).map((lesson) => [lesson, ahead.take(lesson.folder, lesson.definition, request.sourceFor(lesson))]));
  const typeChecked = typeCheckAll(request);
  await ahead.stopRest();
  const { runBehaviourChecks } = await import('../running/run-lesson.ts');
  // A lesson's turn ends with its behaviour checks: waiting for the type check of every file holds nothing up.
  const checked = await mapConcurrently(
    order,
    CONCURRENT_LESSONS,
    (lesson) => runBehaviourChecks(lesson, request.sourceFor(lesson), { early: early.get(lesson), typeCheck: typeChecked }),
    schedulingGroup,
  );
  const results = await Promise.all(request.lessons.map((lesson) => checked[order.indexOf(lesson)]!.finish()));
  if (request.recordsProgress) recordProgress(results);
  return summarize(results);
}

/** Which lessons may be checked side by side: those of one group (see runsAlone and racesTheClock). */
function schedulingGroup(lesson: Lesson): string {
  if (lesson.definition.runsAlone) return `lesson ${lesson.id} alone`;
  return lesson.definition.racesTheClock ? 'racing the clock' : 'the others';
}

/**
 * The order lessons are checked in: most lessons first, then those that race the clock, then
 * those that run alone. Of most lessons, the later first: later lessons are bigger, and begun
 * first they are not left running alone at the end while the small ones fill in around them.
 * Those that race the clock keep their order: lesson 13 then comes beside the end of 11's
 * heartbeat, not beside the start of 11's and 12's many programs, which would make its bursts
 * late (it would aim again, a second lost).
 */
function checkingOrder(lessons: Lesson[]): Lesson[] {
  const rank = (lesson: Lesson) => (lesson.definition.runsAlone ? 2 : lesson.definition.racesTheClock ? 1 : 0);
  return [...lessons].sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? b.id.localeCompare(a.id) : a.id.localeCompare(b.id)));
}

/**
 * One run of the type checker for every lesson's TypeScript file (all lessons' files in about
 * the time of one: most of the work is reading Node.js's and ws's types), or undefined when
 * there is none (a program given as a command).
 */
function typeCheckAll(request: CheckRequest): Promise<TypeCheckOutcome> | undefined {
  const files = request.lessons
    .map((lesson) => request.sourceFor(lesson))
    .flatMap((source) => (source.kind === 'file' && existsSync(source.file) ? [path.resolve(source.file)] : []));
  return files.length > 0 ? typeCheck(files) : undefined;
}

export function formatReport(request: CheckRequest, report: Report): string {
  if (request.json) return jsonReport(report);
  return request.single ? formatLesson(report.lessons[0]!) : formatSummary(report);
}

export function exitStatus(report: Report): number {
  return report.summary.failed > 0 ? 1 : 0;
}

function recordProgress(results: LessonResult[]): void {
  const checkedAt = new Date().toISOString();
  updateProgress((progress) => {
    for (const result of results) {
      if (result.status === 'skipped') continue;
      const key = `${result.id}-${result.slug}`;
      progress.lessons[key] = { ...progress.lessons[key], status: result.status, checkedAt };
    }
  });
}
