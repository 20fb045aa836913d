import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { onePositional, parseCommandArgs } from './args.ts';
import { parseTimeoutScale, TIMEOUT_SCALE_VARIABLE } from '../core/deadlines.ts';
import { mapConcurrently } from '../core/concurrency.ts';
import { UsageError } from '../core/errors.ts';
import { findLesson, listLessons, loadLesson, type Lesson } from '../running/lessons.ts';
import { PendingServer } from '../running/pending-server.ts';
import type { ProgramSource } from '../process/program.ts';
import { updateProgress } from '../running/progress.ts';
import { jsonReport } from '../reporters/json.ts';
import { junitReport } from '../reporters/junit.ts';
import { formatLesson, formatSummary } from '../reporters/terminal.ts';
import { summarize, type LessonResult, type Report } from '../running/results.ts';

const USAGE = 'npm run check -- [lesson] [--watch] [--solutions] [--json] [--server "<command>" | --client "<command>"] [--junit <file>] [--timeout-scale <n>]';

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
const CONCURRENT_LESSONS = Math.max(2, availableParallelism());

/** The command line, read and checked before any lesson's checks are loaded. */
type CheckOptions = ReturnType<typeof parseCheckOptions>;

function parseCheckOptions(args: string[]) {
  const { values, positionals } = parseCommandArgs('check', args, {
    solutions: { type: 'boolean' },
    json: { type: 'boolean' },
    watch: { type: 'boolean' },
    server: { type: 'string' },
    client: { type: 'string' },
    'timeout-scale': { type: 'string' },
    junit: { type: 'string' },
  }, USAGE);
  const query = onePositional('check', positionals, USAGE);
  if (values['timeout-scale'] !== undefined) {
    const scale = parseTimeoutScale(values['timeout-scale']);
    if (scale === undefined) throw new UsageError(`check: --timeout-scale takes a positive number, like 2 for a machine twice as slow. Usage: ${USAGE}`);
    process.env[TIMEOUT_SCALE_VARIABLE] = String(scale);
  }
  const scaleVariable = process.env[TIMEOUT_SCALE_VARIABLE];
  if (scaleVariable !== undefined && parseTimeoutScale(scaleVariable) === undefined) {
    throw new UsageError(`check: ${TIMEOUT_SCALE_VARIABLE} is "${scaleVariable}", but it must be a positive number, like 2 for a machine twice as slow.`);
  }
  if (values.junit === '') throw new UsageError(`check: --junit needs a file name, like --junit reports/workbook.xml. Usage: ${USAGE}`);
  const command = values.server ?? values.client;
  if (values.server !== undefined && values.client !== undefined) throw new UsageError('check: give --server or --client, not both.');
  if (command !== undefined && query === undefined) throw new UsageError(`check: --${values.server !== undefined ? 'server' : 'client'} needs a lesson, like: npm run check -- 1 --server "python3 echo.py"`);
  if (command !== undefined && values.solutions) throw new UsageError('check: --solutions checks the reference solutions; it cannot be combined with --server or --client.');
  if (values.watch && query === undefined) throw new UsageError('check: --watch needs one lesson to watch, like: npm run check -- 1 --watch');
  if (values.watch && (values.json || values.junit !== undefined)) throw new UsageError('check: --watch prints a verdict on every save; it cannot be combined with --json or --junit.');
  if (values.watch && command !== undefined) throw new UsageError('check: --watch watches your exercise file; it cannot be combined with --server or --client.');

  const infos = query === undefined ? listLessons() : [findLesson(query)];
  return { values, query, command, infos };
}

/**
 * Starts the first server lessons' programs before their checks load (and with them most of
 * the checker), so that the two quarter-seconds overlap instead of adding up. A server lesson
 * is one whose starter is a server.ts; a program given with --client is for a client lesson.
 * runChecks takes these servers, and runLesson stops one it cannot use.
 */
function startServersAhead({ values, command, infos }: CheckOptions): Map<string, PendingServer> {
  if (values.watch || values.client !== undefined) return new Map();
  return new Map(
    infos
      .slice(0, CONCURRENT_LESSONS)
      .filter((info) => existsSync(path.join(info.starterDir, 'server.ts')))
      .map((info) => {
        const file = path.join(values.solutions ? info.solutionDir : info.exerciseDir, 'server.ts');
        return [info.folder, new PendingServer(command !== undefined ? { kind: 'command', command } : { kind: 'file', file })] as const;
      }),
  );
}

/** Loads the lessons' checks; the last usage error (the wrong kind of program for the lesson) needs them. */
async function loadCheckRequest({ values, query, command, infos }: CheckOptions): Promise<CheckRequest> {
  const lessons = await Promise.all(infos.map(loadLesson));
  if (command !== undefined) {
    const lesson = lessons[0]!;
    const wanted = lesson.definition.kind === 'server' ? 'server' : 'client';
    const given = values.server !== undefined ? 'server' : 'client';
    if (wanted !== given) throw new UsageError(`check: lesson ${lesson.id} is a ${wanted} lesson, so use --${wanted} "<command>".`);
  }
  return {
    lessons,
    sourceFor: (lesson) =>
      command !== undefined
        ? { kind: 'command', command }
        : { kind: 'file', file: values.solutions ? lesson.solutionFile : lesson.exerciseFile },
    recordsProgress: command === undefined && !values.solutions,
    json: values.json ?? false,
    junit: values.junit,
    single: query !== undefined,
    watch: values.watch ?? false,
  };
}

/**
 * Runs the requested lessons, concurrently up to the number of cores. The first server lessons'
 * servers are those `startedAhead` (by lesson folder), or else start now, while the checker
 * loads the code that runs the checks.
 */
export async function runChecks(request: CheckRequest, startedAhead = new Map<string, PendingServer>()): Promise<Report> {
  const early = new Map(
    request.lessons
      .slice(0, CONCURRENT_LESSONS)
      .filter((lesson) => lesson.definition.kind === 'server')
      .map((lesson) => [lesson, startedAhead.get(lesson.folder) ?? new PendingServer(request.sourceFor(lesson))]),
  );
  const unused = [...startedAhead.values()].filter((server) => ![...early.values()].includes(server));
  await Promise.all(unused.map((server) => server.stop()));
  const { runLesson } = await import('../running/run-lesson.ts');
  const results = await mapConcurrently(request.lessons, CONCURRENT_LESSONS, (lesson) =>
    runLesson(lesson, request.sourceFor(lesson), { early: early.get(lesson) }),
  );
  if (request.recordsProgress) recordProgress(results);
  return summarize(results);
}

export function formatReport(request: CheckRequest, report: Report): string {
  if (request.json) return jsonReport(report);
  return request.single ? formatLesson(report.lessons[0]!) : formatSummary(report);
}

export function exitStatus(report: Report): number {
  return report.summary.failed > 0 ? 1 : 0;
}

export async function checkCommand(args: string[]): Promise<number> {
  const options = parseCheckOptions(args);
  // Should loading end in a usage error, the exit's clean-up stops these.
  const startedAhead = startServersAhead(options);
  const request = await loadCheckRequest(options);
  if (request.watch) return (await import('./watch.ts')).watchLesson(request);
  const report = await runChecks(request, startedAhead);
  console.log(formatReport(request, report));
  if (request.junit !== undefined) writeJunit(request.junit, report);
  return exitStatus(report);
}

function writeJunit(file: string, report: Report): void {
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, junitReport(report));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`check: could not write the JUnit report to ${file}: ${reason}`);
  }
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
export default checkCommand;
