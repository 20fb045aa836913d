import type { Environment } from '../process/program.ts';
import type { ClientCheckContext, ServerCheckContext } from './check-context.ts';

/**
 * What a lesson's `lesson.ts` exports (as default, through defineLesson). The lesson's folder
 * name gives its number and slug; this gives everything else.
 */
interface CheckBase {
  /** A short stable name used by reports, mutants and --json (e.g. "empty-message"). */
  id: string;
  /** What the check proves, as a learner reads it (e.g. "replies to the empty message"). */
  name: string;
  /** Its own deadline in milliseconds (scaled), when the default is not enough. */
  ms?: number;
  /**
   * Checks (by id) that must pass first. When one has failed, this check is skipped and says
   * so: "replies to a message" failing makes twenty more failures about replies only noise.
   */
  needs?: string[];
  /**
   * Environment for this check's runs of the learner's program, on top of the lesson's `env`.
   * A server check with an env of its own runs on a server of its own, started with it (ahead
   * of time, as a fresh check's server is); a client check's launches get it.
   */
  env?: Environment;
}

export interface ServerCheck extends CheckBase {
  /**
   * Runs on a server no other check has used, for checks that depend on the server's state: a
   * process of its own, or, for the lesson's first check, the lesson's server itself.
   */
  fresh?: boolean;
  /**
   * Runs at the same time as the lesson's other checks, not after the check before it, on a
   * server of its own started with the lesson's first one: for checks that spend their time
   * waiting for the learner's timers (a heartbeat watched over ten intervals, a quiet second),
   * which would otherwise add up. It begins once the lesson's server listens, not after the
   * checks it needs; the first that runs in the lesson's environment gets the server started
   * before the checks loaded, and begins at once. When a check it `needs` does not pass, it is
   * stopped and reported as skipped. Its result is reported in its place.
   */
  concurrent?: boolean;
  /**
   * Starts the runs of the learner's server it needs itself (ctx.launch()) and is given none of
   * the lesson's: for checks of servers started in a way of their own (lesson 17's, where no
   * Redis listens). A concurrent standalone check starts nothing ahead.
   */
  standalone?: boolean;
  /**
   * In a lesson with `redis`, runs when the checker has no redis-server too (it needs none: its
   * program is meant not to reach one). Only for standalone checks.
   */
  withoutRedis?: boolean;
  /**
   * Called as the lesson's checks begin, while its server starts, to start something slow the
   * check will need (lesson 08's browser), so that it is ready by the check's turn. Not
   * awaited; a failure to start shows when the check uses it.
   */
  prepare?: () => void;
  run(ctx: ServerCheckContext): Promise<void>;
}

export interface ClientCheck extends CheckBase {
  /**
   * Takes over the run of the check before it when that check passed (the same client, its
   * connection and its transcript) instead of starting the learner's client again; starting a
   * program is the slowest part of a check. When the check before did not pass, this one starts
   * a run of its own, so its verdict never depends on another check's. Its `run` must work both
   * ways: the steps it shares with the check before are written with `stage()`
   * (checks/client-program.ts), which does a step once per run.
   */
  continues?: boolean;
  /**
   * Runs at the same time as the lesson's other checks, with runs of the learner's client of its
   * own, instead of after the check before it: for checks that spend their time waiting for the
   * learner's timers (a client's waits before it reconnects), which would otherwise add up. It
   * waits for the checks it `needs`; its result is reported in its place. It never `continues`, and a
   * check listed right after it that `continues` has no run to take over: it starts its own.
   */
  concurrent?: boolean;
  run(ctx: ClientCheckContext): Promise<void>;
}

interface LessonBase {
  /** Progressive hints, shown one at a time by `npm run hint`. */
  hints: string[];
  /**
   * What `npm run demo` does, when the default (the reference server on the port, and an
   * interactive client connected to it) does not suit the lesson. Returns the exit status.
   */
  demo?: (port: number) => Promise<number>;
  /**
   * Its checks put the machine under a load of their own (floods of tens of megabytes, as
   * lesson 14's; Redis and several servers, as lesson 17's) and hold the learner's program to
   * times: no other lesson is checked beside it (checking several lessons, it waits for the
   * others in hand and holds the rest back meanwhile), and the workbook's own tests run its
   * programs one at a time.
   */
  runsAlone?: boolean;
  /**
   * Its checks hold the learner's program to times (pings every 100 ms, as lesson 11's; waits
   * before reconnecting, as lesson 12's) but mostly wait, and barely load the machine:
   * checking several lessons, it runs beside other lessons that race the clock, and no others.
   * The workbook's own tests run its programs one at a time.
   */
  racesTheClock?: boolean;
  /**
   * Environment for every run of the learner's program in this lesson's checks (not the demo),
   * on top of PORT or WS_URL. A check's own `env` adds to it. A server lesson keeps it in its
   * folder's environment.ts (lessons.ts, loadServerEnvironment), which `npm run check -- N`
   * reads to start the server before the lesson's checks load.
   */
  env?: Environment;
}

export interface ServerLesson extends LessonBase {
  kind: 'server';
  /**
   * Runs a redis-server of the checker's own (process/redis-server.ts) for the lesson's checks,
   * its address in REDIS_URL for every run of the learner's program. Without a redis-server, the
   * checks are skipped with the reason and how to install one, but those marked `withoutRedis`.
   */
  redis?: boolean;
  /**
   * How many instances of the learner's server the lesson's checks share (default 1): started
   * together, each on a port of its own, named "server A", "server B"… in the transcript. The
   * first is ctx.server; a check reaches them all as ctx.instances (lesson 17: one chat served
   * by several). One that a check stopped is started again before the next check.
   */
  instances?: number;
  checks: ServerCheck[];
}

export interface ClientLesson extends LessonBase {
  kind: 'client';
  checks: ClientCheck[];
  /** The lesson whose reference server `npm run demo` starts for this client to talk to. */
  demoServer?: string;
}

/**
 * A check of a tests lesson: the learner's test suite run against one server, each run on a
 * fresh server of its own. The checks run together (the suite's runs are concurrent), so a
 * check has no `run` of its own; `needs` still applies to the verdicts.
 */
export interface SuiteCheck extends CheckBase {
  /** The server the suite is run against: a TypeScript file, relative to the workbook's root. */
  server: string;
  /** The server in the learner's words, for messages: "a server that sends a chat line back to its sender too". */
  about: string;
  /**
   * `pass`: every test must pass against it (a correct server: a failing test is a false alarm).
   * `fail`: some test must fail against it (a wrong server: the suite must catch it).
   */
  expect: 'pass' | 'fail';
  /** How many times the suite runs against it, each time on a fresh server (default 1). */
  runs?: number;
  /** For a wrong server: how a test can catch the mistake, told when no test did. */
  howToCatch?: string;
}

/** A lesson whose exercise is a test suite (vitest), graded by the servers it passes and fails. */
export interface TestsLesson extends LessonBase {
  kind: 'tests';
  checks: SuiteCheck[];
}

export type LessonDefinition = ServerLesson | ClientLesson | TestsLesson;

/**
 * The learner's file in the exercise folder follows from the lesson's kind. A tests lesson's
 * suite tests the lesson 06 chat (the one server every tests lesson so far is about).
 */
export const ENTRY_FILE: Record<LessonDefinition['kind'], string> = { server: 'server.ts', client: 'client.ts', tests: 'chat.test.ts' };

export function defineLesson<T extends LessonDefinition>(lesson: T): T {
  return lesson;
}
