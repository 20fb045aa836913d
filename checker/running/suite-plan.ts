/**
 * What the checker and the vitest process that runs a learner's test suite tell each other.
 * The checker writes a plan (a JSON file named in SUITE_PLAN_VARIABLE); vitest's config
 * (suite-vitest.config.ts) reads it, and its reporter (suite-reporter.ts) writes a record per
 * run into the plan's folder and prints a line per event, for the checker to follow the runs
 * as they happen. Nothing here imports anything: vitest loads these modules on its own.
 */
export const SUITE_PLAN_VARIABLE = 'WORKBOOK_SUITE_PLAN';

export interface SuitePlan {
  /** The learner's test file. */
  suite: string;
  /**
   * `grade`: every run recorded for the checker, vitest's own report only for the runs that
   * show it; `show`: the suite run once, reported by vitest as usual, for a person to read.
   */
  mode: 'grade' | 'show';
  runs: PlannedRun[];
  /** The folder for the runs' records (grade mode). */
  folder: string;
  /** Starts every event line the reporter prints (and nothing else the suite may print). */
  marker: string;
  /** Vitest's deadline for one test or hook; a test that reaches it has hung. */
  testTimeoutMs: number;
  /** How many runs go on at once. */
  workers: number;
}

export interface PlannedRun {
  /** Unique within the plan: names the run's record and its events. */
  id: string;
  /** The test file vitest runs: it sets WS_URL to its server's address (suite-handoff.ts), then imports the learner's suite. */
  entry: string;
  /** Whether vitest's own report (its failures, code frames and diffs) covers this run. */
  reported: boolean;
}

export type SuiteEvent =
  | { event: 'started'; run: string }
  | { event: 'test'; run: string; name: string }
  | { event: 'ended'; run: string }
  | { event: 'finished' };

/** What one run of the suite did, written when it ends. */
export interface RunRecord {
  run: string;
  durationMs: number;
  /** Errors of the file itself: it did not load, or a hook outside every test failed. */
  fileErrors: string[];
  tests: TestRecord[];
}

export interface TestRecord {
  /** The test's full name, its describe blocks' names first ("chat > welcomes a user"). */
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  /** Each error's message and the first lines of its stack. */
  errors: string[];
  /** Failed because vitest's deadline for a test passed: the test waited without a deadline of its own. */
  timedOut: boolean;
  /** Passed only after failing first (vitest's `retry`). */
  retried: boolean;
  durationMs: number;
}

/** An error no test caught (an 'error' event without a listener, a rejected promise nobody awaited). */
export interface UnhandledRecord {
  /** The run whose suite raised it, when vitest knows. */
  run: string | undefined;
  error: string;
}

export const RECORD_FILE = (run: string) => `${run}.json`;
export const UNHANDLED_FILE = 'unhandled.jsonl';
