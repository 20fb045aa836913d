import { existsSync } from 'node:fs';
import path from 'node:path';
import { ClientCheckContext, ServerCheckContext, type ServerLauncher } from './check-context.ts';
import { instanceName, LessonServers } from './lesson-servers.ts';
import { deadline, seconds, withDeadline } from '../core/deadlines.ts';
import { CheckerWasLate, CheckFailure, CheckSkipped, describeError, UsageError } from '../core/errors.ts';
import { explainCrash } from '../core/explanations.ts';
import type { LearnerServer } from './learner-server.ts';
import type { ClientCheck, ClientLesson, ServerCheck, ServerLesson, TestsLesson } from './lesson-definition.ts';
import type { Lesson } from './lessons.ts';
import { PendingServer } from './pending-server.ts';
import { describeExit, prepareProgram, RunningProgram, type Environment, type ProgramSource, type StartableProgram } from '../process/program.ts';
import { findRedisServer, startRedisServer, type RedisServer } from '../process/redis-server.ts';
import { typeCheck, type TypeCheckOutcome } from '../process/type-check.ts';
import { boundedResult } from './bounded-result.ts';
import { typeCheckResult } from './type-check-result.ts';
import { lessonStatus, type CheckResult, type LessonResult } from './results.ts';
import { Transcript } from '../core/transcript.ts';
import { displayPath } from '../core/paths.ts';
import { planRuns, runSuite } from './run-suite.ts';
import { suiteVerdicts } from './suite-verdicts.ts';

export interface LessonRunOptions {
  /** The lesson's server, started early (by the check command, while the checker loaded): ServersAhead.take() says which suits. */
  early?: PendingServer;
  /** The type check of the lesson's file, started with other lessons' files; else the lesson starts its own. */
  typeCheck?: Promise<TypeCheckOutcome>;
}

/** The check every server lesson starts with: the program starts and its port accepts. */
export const STARTS_CHECK = { id: 'starts', name: 'starts and listens on the port given in PORT' } as const;

/**
 * Runs every check of one lesson against one program and reports each check's result.
 * Never throws for anything the learner's program does; always leaves nothing running.
 */
export async function runLesson(lesson: Lesson, source: ProgramSource, options: LessonRunOptions = {}): Promise<LessonResult> {
  return (await runBehaviourChecks(lesson, source, options)).finish();
}

/**
 * Runs a lesson's behaviour checks, the part that runs programs and loads the machine; the type
 * check, which runs beside them, is awaited by finish(). A checker of several lessons starts
 * the next lesson meanwhile.
 */
export async function runBehaviourChecks(lesson: Lesson, source: ProgramSource, options: LessonRunOptions = {}): Promise<{ finish(): Promise<LessonResult> }> {
  let startedAt = performance.now();
  const cwd = RunningProgram.cwdFor(source, process.cwd());
  const definition = lesson.definition;
  const missing = source.kind === 'file' && !existsSync(source.file) ? source.file : undefined;
  // The learner's TypeScript is type-checked beside the behaviour checks; a program given as a command is not.
  const entry = source.kind === 'file' && missing === undefined ? path.resolve(source.file) : undefined;
  const typeChecked = entry === undefined ? undefined : (options.typeCheck ?? typeCheck([entry]));
  // When the type check ended, for the lesson's time: finish() may be called long after (when the other lessons are done).
  const typeCheckedAt = typeChecked?.then(
    () => performance.now(),
    () => performance.now(),
  );
  const early = options.early;
  startedAt = early?.startedAt ?? startedAt;
  const checks =
    missing !== undefined
      ? missingFile(lesson, missing)
      : definition.kind === 'server'
        ? await withLessonRedis(definition, (redis) => runServerChecks(definition, source, cwd, redis, early))
        : definition.kind === 'client'
          ? await runClientChecks(definition, source, cwd)
          : await runSuiteChecks(lesson, definition, source);
  const checkedAt = performance.now();
  return {
    finish: async () => {
      if (typeChecked) checks.push(await typeCheckResult(typeChecked, entry!));
      const endedAt = Math.max(checkedAt, (await typeCheckedAt) ?? 0);
      return {
        id: lesson.id,
        slug: lesson.slug,
        title: lesson.title,
        status: lessonStatus(checks),
        durationMs: Math.round(endedAt - startedAt),
        checks: checks.map(boundedResult),
      };
    },
  };
}

/** What a lesson with `redis` runs with: the checker's own redis-server, or why there is none. */
type LessonRedis = { url: string } | { missing: string } | undefined;

/** Runs `body` with the lesson's redis-server when it asks for one, and stops it afterwards. */
async function withLessonRedis<T>(lesson: ServerLesson, body: (redis: LessonRedis) => Promise<T>): Promise<T> {
  if (!lesson.redis) return body(undefined);
  const found = findRedisServer();
  if ('missing' in found) return body(found);
  let redis: RedisServer;
  try {
    redis = await startRedisServer(found.executable);
  } catch (error) {
    return body({ missing: `No Redis checks: ${describeError(error)}` });
  }
  try {
    return await body({ url: redis.url });
  } finally {
    await redis.stop();
  }
}

async function runServerChecks(lesson: ServerLesson, source: ProgramSource, cwd: string, redis: LessonRedis, early?: PendingServer): Promise<CheckResult[]> {
  if (redis && 'missing' in redis) return runWithoutRedis(lesson, source, cwd, redis.missing);
  const env: Environment = redis ? { ...lesson.env, REDIS_URL: redis.url } : { ...lesson.env };
  const startServer = (check?: ServerCheck, label?: string) => new PendingServer(source, { cwd, env: { ...env, ...check?.env }, label });
  const launcher = (check: ServerCheck): ServerLauncher => ({ source, cwd, env: { ...env, ...check.env } });
  const count = lesson.instances ?? 1;
  // Concurrent checks mostly wait, and the longest of those waits is the lesson's time: the
  // server started ahead (the first to listen) goes to the first that can run on it, and the
  // others' servers start now, with the lesson's.
  const concurrentChecks = lesson.checks.filter((check) => check.concurrent);
  const takesEarly = early && count === 1 ? concurrentChecks.find((check) => !check.standalone && check.env === undefined) : undefined;
  const concurrent = new Map(
    concurrentChecks.map((check) => [check, check.standalone ? undefined : check === takesEarly ? early : startServer(check)] as const),
  );
  const shared = new LessonServers((takesEarly ? undefined : early) ?? startServer(undefined, count > 1 ? instanceName(0) : undefined), count, {
    source,
    cwd,
    env,
  });
  const fresh = new FreshServers(lesson.checks, startServer);
  for (const check of lesson.checks) check.prepare?.();
  const results = new Results();
  // The check on the server started ahead begins at once, beside the start of the lesson's. The
  // others begin once the lesson's server listens: by then the lesson's servers have all been
  // started, and starting a program holds up the checker for a moment (lesson 11's checks, begun
  // earlier, were late to answer a ping now and then).
  if (takesEarly) results.add(takesEarly, runConcurrently(takesEarly, early, launcher(takesEarly), results, startServer));
  try {
    const first = shared.first;
    const started = await timed(STARTS_CHECK, first.transcript, (signal) => shared.whenListening(signal), first.startedAt);
    if (started.status !== 'passed') {
      const notRun = (check: ServerCheck) => skipped(check, 'Not run: your server did not start (see the first check).');
      if (takesEarly) {
        // It may be waiting for the results of checks it needs: those come first; then it is stopped.
        for (const check of lesson.checks) if (check !== takesEarly) results.add(check, notRun(check));
        await early!.stop();
        await results.inOrder([takesEarly]);
      }
      return [started, ...lesson.checks.map(notRun)];
    }
    for (const [check, server] of concurrent)
      if (check !== takesEarly) results.add(check, runConcurrently(check, server, launcher(check), results, startServer));
    fresh.prepareAfter(-1, results);
    for (const [index, check] of lesson.checks.entries()) {
      if (check.concurrent) continue;
      const blocker = await results.unmetNeed(check);
      if (blocker) {
        await fresh.discard(index);
        results.add(check, blocker);
        fresh.prepareAfter(index, results);
        continue;
      }
      const own = needsOwnServer(check, index) ? fresh.take(index) : undefined;
      fresh.prepareAfter(index, results);
      const transcript = own?.transcript ?? new Transcript();
      const result = timed(check, transcript, async (signal) => {
        if (check.standalone) return runAgainst(check, undefined, launcher(check), transcript, signal);
        if (own) return runAgainst(check, await own.whenReady(signal), launcher(check), transcript, signal);
        // The lesson's server, started again if it stopped during an earlier check, so checks stay independent.
        return runAgainst(check, await shared.take(0, transcript, signal), launcher(check), transcript, signal, shared);
      });
      results.add(check, result);
      await result;
      // Stopped before the next check begins: nothing of this check runs during the next one.
      await own?.stop();
    }
    return [started, ...(await results.inOrder(lesson.checks))];
  } finally {
    await Promise.all([fresh.stop(), shared.stop(), ...[...concurrent.values()].map((server) => server?.stop())]);
  }
}

/**
 * Runs a concurrent check at once, on its own server (none for a standalone one), not after
 * the checks it needs: its waits overlap theirs. When one of those did not pass, its server is
 * stopped and it is reported as skipped, as a check after them would be. A check that failed
 * because the checker itself ran late (CheckerWasLate) runs once more, on a new server from
 * `restart`: a busy machine must not fail a correct program.
 */
async function runConcurrently(
  check: ServerCheck,
  first: PendingServer | undefined,
  launcher: ServerLauncher,
  results: Results,
  restart: (check: ServerCheck) => PendingServer,
): Promise<CheckResult> {
  let server = first;
  const transcript = server?.transcript ?? new Transcript();
  try {
    const outcome = timed(check, transcript, async (signal) => {
      try {
        await runAgainst(check, await first?.whenReady(signal), launcher, transcript, signal);
      } catch (failure) {
        if (!(failure instanceof CheckerWasLate) || !server || signal.aborted) throw failure;
        transcript.add('checker', 'note', `${failure.message} The checker was too late to judge: once more, on a new run of your server.`);
        await server.stop();
        const again = restart(check);
        server = again;
        // Its start is in its own transcript until it listens.
        const ready = await again.whenReady(signal).finally(() => transcript.adopt(again.transcript));
        await runAgainst(check, ready, launcher, transcript, signal);
      }
    });
    const blocker = await results.unmetNeed(check);
    if (blocker) await server?.stop();
    const result = await outcome;
    return blocker ?? result;
  } finally {
    await server?.stop();
  }
}

/**
 * A lesson with `redis` when the checker has none: its checks are skipped with `reason` (which
 * says how to install one), but those that need no Redis; the learner's server is not started.
 */
async function runWithoutRedis(lesson: ServerLesson, source: ProgramSource, cwd: string, reason: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [skipped(STARTS_CHECK, reason)];
  for (const check of lesson.checks) {
    if (!check.withoutRedis || !check.standalone) {
      results.push(skipped(check, reason));
      continue;
    }
    const blocker = unmetNeed(check, results);
    if (blocker) {
      results.push(blocker);
      continue;
    }
    const transcript = new Transcript();
    results.push(
      await timed(check, transcript, (signal) => runAgainst(check, undefined, { source, cwd, env: { ...lesson.env, ...check.env } }, transcript, signal)),
    );
  }
  return results;
}

/**
 * Runs one check against a running server (none for a standalone check, which starts its own
 * with `launcher`), and the runs the lesson's checks share, if it is one of the lesson's: a
 * failure when one it used stops, unless the check stopped it.
 */
async function runAgainst(
  check: ServerCheck,
  server: LearnerServer | undefined,
  launcher: ServerLauncher,
  transcript: Transcript,
  signal: AbortSignal,
  shared?: LessonServers,
): Promise<void> {
  if (server) server.program.transcript = transcript;
  const ctx = new ServerCheckContext(server, transcript, launcher, shared);
  // Out of time: the check's clients close, so its steps end now, and its servers stop,
  // so the next check gets fresh ones rather than ones still busy with this check.
  const abandon = () => {
    void ctx.dispose();
    for (const used of ctx.serversUsed()) void used.stop();
  };
  signal.addEventListener('abort', abandon);
  try {
    await check.run(ctx);
    const crashed = ctx.serversUsed().find((used) => !used.program.running && !ctx.serversStoppedOnPurpose().includes(used));
    if (crashed) throw stoppedDuringCheck(crashed.program);
  } finally {
    signal.removeEventListener('abort', abandon);
    // The programs the check launched are gone before the next check begins.
    await ctx.dispose();
    // A server the check stopped on purpose may still be on its way out: the next check gets a new one.
    await Promise.all(ctx.serversStoppedOnPurpose().map((stopped) => stopped.stop()));
  }
}

/**
 * The results of a lesson's checks as they come, by check id. Concurrent checks finish in any
 * order, so a check that needs another waits for that one's result, even one not begun yet.
 */
class Results {
  private readonly promised = new Map<string, { result: Promise<CheckResult>; settle: (result: CheckResult) => void }>();
  private readonly settled = new Map<string, CheckResult>();

  add(check: { id: string }, result: CheckResult | Promise<CheckResult>): void {
    void Promise.resolve(result).then((done) => {
      this.settled.set(check.id, done);
      this.entry(check.id).settle(done);
    });
  }

  /** Waits for the checks `check` needs; a skipped result when one did not pass, else undefined. */
  async unmetNeed(check: Needing): Promise<CheckResult | undefined> {
    await Promise.all((check.needs ?? []).map((id) => this.entry(id).result));
    return this.knownUnmet(check);
  }

  /** A skipped result when a check `check` needs has already failed or been skipped. */
  knownUnmet(check: Needing): CheckResult | undefined {
    return unmetNeed(check, [...this.settled.values()]);
  }

  inOrder(checks: Needing[]): Promise<CheckResult[]> {
    return Promise.all(checks.map((check) => this.entry(check.id).result));
  }

  private entry(id: string): { result: Promise<CheckResult>; settle: (result: CheckResult) => void } {
    let entry = this.promised.get(id);
    if (!entry) {
      let settle!: (result: CheckResult) => void;
      const result = new Promise<CheckResult>((resolve) => (settle = resolve));
      entry = { result, settle };
      this.promised.set(id, entry);
    }
    return entry;
  }
}

/**
 * Whether a check that is not concurrent gets a server process of its own. One with an
 * environment of its own does. A fresh check does too, unless it is the lesson's first: the
 * lesson's server has then served no check yet (only the probe that saw it listening, which
 * opened no WebSocket), so it is as fresh as a new one.
 */
function needsOwnServer(check: ServerCheck, index: number): boolean {
  return !check.concurrent && !check.standalone && (check.env !== undefined || (check.fresh === true && index > 0));
}

/**
 * How many fresh checks ahead have their server starting. Measured on two cores, a lesson of
 * nine fresh checks: one ahead took 2.7 s instead of 3.4 s; two or three ahead were no faster
 * (starting Node.js is processor work, and the processor is then the limit; measured when programs ran under tsx).
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
  prepareAfter(index: number, results: Results): void {
    for (const [i, check] of this.checks.entries()) {
      if (this.ahead.size >= FRESH_AHEAD) return;
      if (i > index && needsOwnServer(check, i) && !this.ahead.has(i) && !results.knownUnmet(check)) this.ahead.set(i, this.start(check));
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
  let program: StartableProgram;
  try {
    program = await prepareProgram(source);
  } catch (failure) {
    // A program that does not compile fails the first check, which is where it would have started.
    const [first, ...rest] = lesson.checks;
    if (!first) return [];
    const notRun = rest.map((check) => skipped(check, 'Not run: your program does not compile (see the first check).'));
    return [await timed(first, new Transcript(), () => Promise.reject(failure)), ...notRun];
  }
  const results = new Results();
  const contextFor = (check: ClientCheck) => new ClientCheckContext(program, cwd, new Transcript(), { ...lesson.env, ...check.env });
  const run = (check: ClientCheck, ctx: ClientCheckContext) =>
    timed(check, ctx.transcript, async (signal) => {
      const abandon = () => void ctx.dispose();
      signal.addEventListener('abort', abandon);
      try {
        await check.run(ctx);
      } finally {
        signal.removeEventListener('abort', abandon);
      }
    });
  // Concurrent checks begin now, each with runs of its own, once the checks they need have passed.
  const alongside = lesson.checks
    .filter((check) => check.concurrent)
    .map(async (check) => {
      const blocker = await results.unmetNeed(check);
      if (blocker) return results.add(check, blocker);
      const ctx = contextFor(check);
      const result = run(check, ctx);
      results.add(check, result);
      await result;
      await ctx.dispose();
    });
  // The run of the last check, while the next check may continue it.
  let carried: ClientCheckContext | undefined;
  try {
    for (const [index, check] of lesson.checks.entries()) {
      if (check.concurrent) continue;
      const blocker = await results.unmetNeed(check);
      const continued = !blocker && check.continues ? carried : undefined;
      if (!continued) await carried?.dispose();
      carried = undefined;
      if (blocker) {
        results.add(check, blocker);
        continue;
      }
      const ctx = continued ?? contextFor(check);
      if (continued) ctx.note('the next check starts here, on the same run of your client');
      const result = await run(check, ctx);
      results.add(check, result);
      const next = lesson.checks[index + 1];
      if (result.status === 'passed' && next?.continues && !next.concurrent) carried = ctx;
      else await ctx.dispose();
    }
  } finally {
    await carried?.dispose();
    await Promise.all(alongside);
  }
  return results.inOrder(lesson.checks);
}

/**
 * A tests lesson: the learner's suite runs against every check's server at once (run-suite.ts);
 * a check whose needs failed is skipped all the same, its verdict set aside.
 */
async function runSuiteChecks(lesson: Lesson, definition: TestsLesson, source: ProgramSource): Promise<CheckResult[]> {
  if (source.kind !== 'file') throw new UsageError(`Lesson ${lesson.id} checks a test file, ${displayPath(lesson.exerciseFile)}; it cannot check a command.`);
  const verdicts = suiteVerdicts(definition.checks, await runSuite(source.file, planRuns(definition.checks)), Number(lesson.id));
  const results: CheckResult[] = [];
  for (const [index, check] of definition.checks.entries()) results.push(unmetNeed(check, results) ?? verdicts[index]!);
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
  return withDeadline(
    promise.then(
      () => true,
      () => true,
    ),
    ms,
    () => new Error('still running'),
  ).catch(() => false);
}

/** A skipped result when a check this one needs did not pass, else undefined. */
/** A check, as far as its needs go. */
type Needing = { id: string; name: string; needs?: string[] };

function unmetNeed(check: Needing, earlier: CheckResult[]): CheckResult | undefined {
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
