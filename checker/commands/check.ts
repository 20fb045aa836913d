import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onePositional, parseCommandArgs } from './args.ts';
import { parseTimeoutScale, TIMEOUT_SCALE_VARIABLE } from '../core/deadlines.ts';
import { UsageError } from '../core/errors.ts';
import { displayPath } from '../core/paths.ts';
import { findLessons, listLessons, loadLesson, loadServerEnvironment } from '../running/lessons.ts';
import { ServersAhead } from '../running/servers-ahead.ts';
import { junitReport } from '../reporters/junit.ts';
import type { Report } from '../running/results.ts';
import { CONCURRENT_LESSONS, exitStatus, formatReport, runChecks, type CheckRequest } from './run-checks.ts';

const USAGE =
  'npm run check -- [lesson | from-to] [--watch] [--solutions] [--json] [--server "<command>" | --client "<command>"] [--junit <file>] [--timeout-scale <n>]';

/** The command line, read and checked before any lesson's checks are loaded. */
type CheckOptions = ReturnType<typeof parseCheckOptions>;

function parseCheckOptions(args: string[]) {
  const { values, positionals } = parseCommandArgs(
    'check',
    args,
    {
      solutions: { type: 'boolean' },
      json: { type: 'boolean' },
      watch: { type: 'boolean' },
      server: { type: 'string' },
      client: { type: 'string' },
      'timeout-scale': { type: 'string' },
      junit: { type: 'string' },
    },
    USAGE,
  );
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
  if (command !== undefined && query === undefined)
    throw new UsageError(`check: --${values.server !== undefined ? 'server' : 'client'} needs a lesson, like: npm run check -- 1 --server "python3 echo.py"`);
  if (command !== undefined && values.solutions)
    throw new UsageError('check: --solutions checks the reference solutions; it cannot be combined with --server or --client.');
  if (values.watch && query === undefined) throw new UsageError('check: --watch needs one lesson to watch, like: npm run check -- 1 --watch');
  if (values.watch && (values.json || values.junit !== undefined))
    throw new UsageError('check: --watch prints a verdict on every save; it cannot be combined with --json or --junit.');
  if (values.watch && command !== undefined)
    throw new UsageError('check: --watch watches your exercise file; it cannot be combined with --server or --client.');

  const infos = query === undefined ? listLessons() : findLessons(query);
  if (infos.length > 1 && (command !== undefined || values.watch)) {
    throw new UsageError(
      `check: --${values.watch ? 'watch' : values.server !== undefined ? 'server' : 'client'} takes one lesson, not ${query}. Usage: ${USAGE}`,
    );
  }
  return { values, query, command, infos };
}

/**
 * Starts the first server lessons' programs before their checks load (and with them most of
 * the checker), so that the two quarter-seconds overlap instead of adding up. A program given
 * with --client is for a client lesson; watch mode starts its own on every save.
 */
async function startServersAhead({ values, command, infos }: CheckOptions): Promise<ServersAhead> {
  const ahead = new ServersAhead();
  if (values.watch || values.client !== undefined) return ahead;
  // A server lesson is one whose starter is a server.ts.
  for (const info of infos.slice(0, CONCURRENT_LESSONS).filter((candidate) => existsSync(path.join(candidate.starterDir, 'server.ts')))) {
    const file = path.join(values.solutions ? info.solutionDir : info.exerciseDir, 'server.ts');
    ahead.start(info.folder, command !== undefined ? { kind: 'command', command } : { kind: 'file', file }, await loadServerEnvironment(info));
  }
  return ahead;
}

/** Loads the lessons' checks; the last usage error (the wrong kind of program for the lesson) needs them. */
async function loadCheckRequest({ values, query, command, infos }: CheckOptions): Promise<CheckRequest> {
  const lessons = await Promise.all(infos.map(loadLesson));
  if (command !== undefined) {
    const lesson = lessons[0]!;
    const wanted = lesson.definition.kind;
    const given = values.server !== undefined ? 'server' : 'client';
    if (wanted === 'tests') {
      throw new UsageError(
        `check: lesson ${lesson.id} checks your test file, ${displayPath(lesson.exerciseFile)}, against servers of its own, so --${given} does not apply: run npm run check -- ${Number(lesson.id)}`,
      );
    }
    if (wanted !== given) throw new UsageError(`check: lesson ${lesson.id} is a ${wanted} lesson, so use --${wanted} "<command>".`);
  }
  return {
    lessons,
    sourceFor: (lesson) =>
      command !== undefined ? { kind: 'command', command } : { kind: 'file', file: values.solutions ? lesson.solutionFile : lesson.exerciseFile },
    recordsProgress: command === undefined && !values.solutions,
    json: values.json ?? false,
    junit: values.junit,
    single: lessons.length === 1 && query !== undefined,
    watch: values.watch ?? false,
  };
}

async function checkCommand(args: string[]): Promise<number> {
  const options = parseCheckOptions(args);
  // Should loading end in a usage error, the exit's clean-up stops these.
  const startedAhead = await startServersAhead(options);
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

export default checkCommand;
