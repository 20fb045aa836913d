import { existsSync } from 'node:fs';
import { ClientCheckContext, ServerCheckContext } from './check-context.ts';
import { deadline, seconds, withDeadline } from './deadlines.ts';
import { CheckFailure, CheckSkipped, describeError } from './errors.ts';
import { explainCrash } from './explanations.ts';
import { startLearnerServer, type LearnerServer } from './learner-server.ts';
import type { ClientLesson, ServerLesson } from './lesson-api.ts';
import type { Lesson } from './lessons.ts';
import { describeExit, RunningProgram, type ProgramSource } from './program.ts';
import { lessonStatus, type CheckResult, type LessonResult } from './results.ts';
import { Transcript } from './transcript.ts';
import { displayPath } from './paths.ts';

/** The check every server lesson starts with: the program starts and its port accepts. */
export const STARTS_CHECK = { id: 'starts', name: 'starts and listens on the port given in PORT' } as const;

/**
 * Runs every check of one lesson against one program and reports each check's result.
 * Never throws for anything the learner's program does; always leaves nothing running.
 */
export async function runLesson(lesson: Lesson, source: ProgramSource): Promise<LessonResult> {
  const startedAt = performance.now();
  const cwd = RunningProgram.cwdFor(source, process.cwd());
  const definition = lesson.definition;
  const checks =
    source.kind === 'file' && !existsSync(source.file)
      ? missingFile(lesson, source.file)
      : definition.kind === 'server'
        ? await runServerChecks(definition, source, cwd)
        : await runClientChecks(definition, source, cwd);
  return {
    id: lesson.id,
    slug: lesson.slug,
    title: definition.title,
    status: lessonStatus(checks),
    durationMs: Math.round(performance.now() - startedAt),
    checks,
  };
}

async function runServerChecks(lesson: ServerLesson, source: ProgramSource, cwd: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let shared: LearnerServer | undefined;
  const startTranscript = new Transcript();
  const starts = await timed(STARTS_CHECK, startTranscript, async (signal) => {
    shared = await startLearnerServer(source, { cwd, transcript: startTranscript, signal });
  });
  results.push(starts);
  if (!shared) {
    for (const check of lesson.checks) results.push(skipped(check, 'Not run: your server did not start (see the first check).'));
    return results;
  }
  try {
    for (const check of lesson.checks) {
      const blocker = unmetNeed(check, results);
      if (blocker) {
        results.push(blocker);
        continue;
      }
      const transcript = new Transcript();
      results.push(
        await timed(check, transcript, async (signal) => {
          let own: LearnerServer | undefined;
          try {
            // A server that stopped during an earlier check is replaced, so checks stay independent.
            if (check.fresh) own = await startLearnerServer(source, { cwd, transcript, signal });
            else if (!shared!.program.running) {
              await shared!.stop();
              shared = await startLearnerServer(source, { cwd, transcript, signal });
            }
            const server = own ?? shared!;
            server.program.transcript = transcript;
            const ctx = new ServerCheckContext(server.program, server.port, server.host, transcript);
            // Out of time: the check's clients close, so its steps end now, and its server stops,
            // so the next check gets a fresh one rather than one still busy with this check.
            const abandon = () => {
              ctx.dispose();
              void server.stop();
            };
            signal.addEventListener('abort', abandon);
            try {
              await check.run(ctx);
              if (!server.program.running && !ctx.serverStoppedByCheck) throw stoppedDuringCheck(server.program);
            } finally {
              signal.removeEventListener('abort', abandon);
              ctx.dispose();
            }
          } finally {
            await own?.stop();
          }
        }),
      );
    }
  } finally {
    await shared?.stop();
  }
  return results;
}

async function runClientChecks(lesson: ClientLesson, source: ProgramSource, cwd: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of lesson.checks) {
    const blocker = unmetNeed(check, results);
    if (blocker) {
      results.push(blocker);
      continue;
    }
    const transcript = new Transcript();
    results.push(
      await timed(check, transcript, async (signal) => {
        const ctx = new ClientCheckContext(source, cwd, transcript);
        const abandon = () => void ctx.dispose();
        signal.addEventListener('abort', abandon);
        try {
          await check.run(ctx);
        } finally {
          signal.removeEventListener('abort', abandon);
          await ctx.dispose();
        }
      }),
    );
  }
  return results;
}

/**
 * Runs one check under its deadline and turns whatever happens into a result. When the
 * deadline passes, `signal` aborts (the body closes what it opened, which ends its waits) and
 * the body is given a moment to finish, so that it is not still running during the next check.
 */
async function timed(
  check: { id: string; name: string; ms?: number },
  transcript: Transcript,
  body: (signal: AbortSignal) => Promise<void>,
): Promise<CheckResult> {
  const startedAt = performance.now();
  const ms = check.ms ?? deadline('check');
  const result = (status: CheckResult['status'], message = '', extra: Partial<CheckResult> = {}): CheckResult => ({
    id: check.id,
    name: check.name,
    status,
    message,
    ...extra,
    durationMs: Math.round(performance.now() - startedAt),
  });
  const controller = new AbortController();
  const attempt = body(controller.signal);
  try {
    await withDeadline(attempt, ms, () => new CheckFailure(`This check did not finish within ${seconds(ms)}.`));
    return result('passed');
  } catch (error) {
    if (error instanceof CheckSkipped) return result('skipped', error.message);
    await outputAlreadySent();
    if (error instanceof CheckFailure) {
      return result('failed', error.message, { details: error.details, transcript: transcript.lines() });
    }
    return result('failed', `The check could not finish: ${describeError(error)}`, { transcript: transcript.lines() });
  } finally {
    if (!(await settles(attempt, 0))) {
      controller.abort();
      await settles(attempt, deadline('close') + deadline('killGrace'));
    }
  }
}

/**
 * A program's output and its WebSocket frames travel separately: what it printed just before
 * the reply that failed the check is already waiting in the pipe, but may be read after that
 * reply (later in the same turn of the event loop). Letting the loop turn once reads it, so the
 * transcript shows it. (Not a timed wait: it only handles I/O that has already arrived.)
 */
async function outputAlreadySent(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** Whether `promise` settles (either way) within `ms`. */
async function settles(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return withDeadline(promise.then(() => true, () => true), ms, () => new Error('still running')).catch(() => false);
}

/** A skipped result when a check this one needs did not pass, else undefined. */
function unmetNeed(check: { id: string; name: string; needs?: string[] }, earlier: CheckResult[]): CheckResult | undefined {
  const unmet = earlier.find((result) => check.needs?.includes(result.id) && result.status !== 'passed');
  if (!unmet) return undefined;
  // A check that could not run here (no browser, say) passes its reason on to those that need it.
  return skipped(check, unmet.status === 'skipped' ? unmet.message : `Not run until "${unmet.name}" passes.`);
}

function missingFile(lesson: Lesson, file: string): CheckResult[] {
  const message = `${displayPath(file)} does not exist. \`npm run reset -- ${Number(lesson.id)}\` puts the starter back.`;
  const first = { id: 'file', name: `the file ${displayPath(file)} exists`, status: 'failed' as const, message, durationMs: 0 };
  return [first, ...lesson.definition.checks.map((check) => skipped(check, 'Not run: the file is missing.'))];
}

function skipped(check: { id: string; name: string }, message: string): CheckResult {
  return { id: check.id, name: check.name, status: 'skipped', message, durationMs: 0 };
}

function stoppedDuringCheck(program: RunningProgram): CheckFailure {
  return new CheckFailure(`Your server stopped during this check (it exited ${describeExit(program.exitInfo!)}). A server must keep running.`, {
    received: program.outputSummary(),
    explanation: explainCrash(program.stderr.text()),
  });
}
