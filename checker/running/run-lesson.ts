import { existsSync } from 'node:fs';
import { ClientCheckContext, ServerCheckContext } from './check-context.ts';
import { deadline, seconds, withDeadline } from '../core/deadlines.ts';
import { CheckFailure, CheckSkipped, describeError } from '../core/errors.ts';
import { explainCrash } from '../core/explanations.ts';
import { startLearnerServer, type LearnerServer } from './learner-server.ts';
import type { ClientLesson, ServerCheck, ServerLesson } from './lesson-definition.ts';
import type { Lesson } from './lessons.ts';
import { PendingServer, runsSource } from './pending-server.ts';
import { describeExit, RunningProgram, type ProgramSource } from '../process/program.ts';
import { lessonStatus, type CheckResult, type LessonResult } from './results.ts';
import { Transcript } from '../core/transcript.ts';
import { displayPath } from '../core/paths.ts';

/** The check every server lesson starts with: the program starts and its port accepts. */
export const STARTS_CHECK = { id: 'starts', name: 'starts and listens on the port given in PORT' } as const;

/**
 * Runs every check of one lesson against one program and reports each check's result.
 * Never throws for anything the learner's program does; always leaves nothing running.
 */
export async function runLesson(lesson: Lesson, source: ProgramSource, options: { early?: PendingServer } = {}): Promise<LessonResult> {
  let startedAt = performance.now();
  const cwd = RunningProgram.cwdFor(source, process.cwd());
  const definition = lesson.definition;
  const missing = source.kind === 'file' && !existsSync(source.file) ? source.file : undefined;
  // A server started early (by the check command, while the checker loaded) serves only if it
  // runs this very program, in the lesson's environment.
  let early = options.early;
  if (early && (missing !== undefined || definition.kind !== 'server' || !runsSource(early, source, definition.env))) {
    await early.stop();
    early = undefined;
  }
  startedAt = early?.startedAt ?? startedAt;
  const checks =
    missing !== undefined
      ? missingFile(lesson, missing)
      : definition.kind === 'server'
        ? await runServerChecks(definition, source, cwd, early)
        : await runClientChecks(definition, source, cwd);
  return {
    id: lesson.id,
    slug: lesson.slug,
    title: lesson.title,
    status: lessonStatus(checks),
    durationMs: Math.round(performance.now() - startedAt),
    checks,
  };
}

async function runServerChecks(lesson: ServerLesson, source: ProgramSource, cwd: string, early?: PendingServer): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const startServer = (check?: ServerCheck) => new PendingServer(source, { cwd, env: { ...lesson.env, ...check?.env } });
  const fresh = new FreshServers(lesson.checks, startServer);
  const first = early ?? startServer();
  let shared: LearnerServer | undefined;
  try {
    results.push(
      await timed(
        STARTS_CHECK,
        first.transcript,
        async (signal) => {
          shared = await first.whenReady(signal);
        },
        first.startedAt,
      ),
    );
    if (!shared) {
      for (const check of lesson.checks) results.push(skipped(check, 'Not run: your server did not start (see the first check).'));
      return results;
    }
    // Servers are started ahead only for a program that has shown it starts.
    fresh.prepareAfter(-1, results);
    for (const [index, check] of lesson.checks.entries()) {
      const blocker = unmetNeed(check, results);
      if (blocker) {
        await fresh.discard(index);
        fresh.prepareAfter(index, results);
        results.push(blocker);
        continue;
      }
      const own = needsOwnServer(check, index) ? fresh.take(index) : undefined;
      fresh.prepareAfter(index, results);
      const transcript = own?.transcript ?? new Transcript();
      results.push(
        await timed(check, transcript, async (signal) => {
          // A server that stopped during an earlier check is replaced, so checks stay independent.
          if (!own && !shared!.program.running) {
            await shared!.stop();
            shared = await startLearnerServer(source, { cwd, env: lesson.env, transcript, signal });
          }
          const server = own ? await own.whenReady(signal) : shared!;
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
        }),
      );
      // Stopped before the next check begins: nothing of this check runs during the next one.
      await own?.stop();
    }
  } finally {
    // The shared server is the first one, or the one that replaced it (which stopped it).
    await Promise.all([fresh.stop(), shared?.stop() ?? first.stop()]);
  }
  return results;
}

/**
 * Whether a check gets a server process of its own. One with an environment of its own does.
 * A fresh check does too, unless it is the lesson's first: the lesson's server has then served
 * no check yet (only the probe that saw it listening, which opened no WebSocket), so it is as
 * fresh as a new one.
 */
function needsOwnServer(check: ServerCheck, index: number): boolean {
  return check.env !== undefined || (check.fresh === true && index > 0);
}

/**
 * How many fresh checks ahead have their server starting. Measured on two cores, a lesson of
 * nine fresh checks: one ahead took 2.7 s instead of 3.4 s; two or three ahead were no faster
 * (starting Node.js with tsx is processor work, and the processor is then the limit).
 */
const FRESH_AHEAD = 1;

/**
 * The servers of the checks that need one of their own (fresh, or with an environment of their
 * own), started while the checks before them run: those of the next FRESH_AHEAD such checks
 * after the current one that are not already bound to be skipped.
 */
class FreshServers {
  private readonly ahead = new Map<number, PendingServer>();

  constructor(
    private readonly checks: ServerCheck[],
    private readonly start: (check: ServerCheck) => PendingServer,
  ) {}

  /** Makes sure the servers of the next fresh checks after check `index` are starting. */
  prepareAfter(index: number, results: CheckResult[]): void {
    for (const [i, check] of this.checks.entries()) {
      if (this.ahead.size >= FRESH_AHEAD) return;
      if (i > index && needsOwnServer(check, i) && !this.ahead.has(i) && !unmetNeed(check, results)) this.ahead.set(i, this.start(check));
    }
  }

  /** The server for fresh check `index`: the one started ahead for it, or else a new one. */
  take(index: number): PendingServer {
    const server = this.ahead.get(index) ?? this.start(this.checks[index]!);
    this.ahead.delete(index);
    return server;
  }

  /** Stops the server started for check `index`, which will not run. */
  async discard(index: number): Promise<void> {
    const server = this.ahead.get(index);
    this.ahead.delete(index);
    await server?.stop();
  }

  /** Stops the servers still waiting (the lesson ended before their checks). */
  async stop(): Promise<void> {
    const waiting = [...this.ahead.values()];
    this.ahead.clear();
    await Promise.all(waiting.map((server) => server.stop()));
  }
}

async function runClientChecks(lesson: ClientLesson, source: ProgramSource, cwd: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  // The run of the last check, while the next check may continue it.
  let carried: ClientCheckContext | undefined;
  try {
    for (const [index, check] of lesson.checks.entries()) {
      const blocker = unmetNeed(check, results);
      const continued = !blocker && check.continues ? carried : undefined;
      if (!continued) await carried?.dispose();
      carried = undefined;
      if (blocker) {
        results.push(blocker);
        continue;
      }
      const ctx = continued ?? new ClientCheckContext(source, cwd, new Transcript(), { ...lesson.env, ...check.env });
      if (continued) ctx.note('the next check starts here, on the same run of your client');
      const result = await timed(check, ctx.transcript, async (signal) => {
        const abandon = () => void ctx.dispose();
        signal.addEventListener('abort', abandon);
        try {
          await check.run(ctx);
        } finally {
          signal.removeEventListener('abort', abandon);
        }
      });
      results.push(result);
      if (result.status === 'passed' && lesson.checks[index + 1]?.continues) carried = ctx;
      else await ctx.dispose();
    }
  } finally {
    await carried?.dispose();
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
  /** When the check's work began, if before this call (a server started ahead for it). */
  startedAt = performance.now(),
): Promise<CheckResult> {
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
