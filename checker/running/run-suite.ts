import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { mapConcurrently } from '../core/concurrency.ts';
import { deadline, scaled } from '../core/deadlines.ts';
import { describeError } from '../core/errors.ts';
import { projectRoot } from '../core/paths.ts';
import { Transcript } from '../core/transcript.ts';
import { removeTempPath, trackTempPath } from '../process/cleanup.ts';
import { RunningProgram, type OutputLine } from '../process/program.ts';
import { startLearnerServer, type LearnerServer } from './learner-server.ts';
import type { SuiteCheck } from './lesson-definition.ts';
import { HANDOFF_VARIABLE, serveAddresses, type AddressDesk } from './suite-handoff.ts';
import { RECORD_FILE, SUITE_PLAN_VARIABLE, UNHANDLED_FILE, type RunRecord, type SuiteEvent, type SuitePlan, type UnhandledRecord } from './suite-plan.ts';

/**
 * Runs a learner's vitest suite against servers, for a tests lesson: each run of the suite gets
 * a fresh server of its own on its own port, and one vitest process runs the suite once per
 * run (suite-vitest.config.ts), WS_URL set to that run's server, a few runs at a time. Vitest
 * starts while the servers do, and each run begins once its own server is up (suite-handoff.ts).
 * Every run has a deadline, and so has vitest's start: a suite that hangs is stopped, never
 * waited for. Every process started here is stopped and every file removed before this
 * returns; on Ctrl-C the checker's clean-up does it, since each is registered there.
 */

/** The contract: the whole file finishes within 10 s a server. */
export const RUN_BUDGET_MS = 10_000;
/** Vitest's deadline for one test or hook: a test still waiting then has no deadline of its own. */
export const TEST_TIMEOUT_MS = 5_000;
/** From starting vitest to its first run beginning (loading vitest, and the first server starting). */
export const VITEST_START_MS = 20_000;
/** From the last run's end to vitest's report of the whole run. */
const REPORT_MS = 3_000;
/**
 * Runs at a time. A run mostly waits (for the network, and for deadlines when a test catches a
 * server by the absence of a message), so twice as many as there are cores.
 */
const WORKERS = 2 * Math.max(1, availableParallelism());
/** Server starts at a time: a start is processor work, and more at once would only delay each. */
const STARTS = Math.max(2, availableParallelism());
const VITEST_CLI = path.join(projectRoot, 'node_modules', 'vitest', 'vitest.mjs');
const CONFIG_FILE = path.join(projectRoot, 'checker', 'running', 'suite-vitest.config.ts');
const HANDOFF_MODULE = path.join(projectRoot, 'checker', 'running', 'suite-handoff.ts');
const PLAN_FILE = 'plan.json';
/** How much of vitest's own report is kept: the report of a few failing tests, with room to spare. */
const MAX_REPORT_LINES = 400;

/** One run of the suite: against which check's server, which time. */
export interface SuiteRun {
  check: SuiteCheck;
  /** From 1 to the check's number of runs. */
  index: number;
  id: string;
  /** The server's output and the suite's progress, in order. */
  transcript: Transcript;
}

/** What became of one run. */
export interface RunOutcome {
  run: SuiteRun;
  /** The run's server could not start (the workbook's own server: no doing of the learner's). */
  serverFailure?: string;
  record?: RunRecord;
  /** Errors no test caught, raised while this run went on. */
  unhandled: string[];
  /** Why the run has no record. */
  unfinished?: Unfinished;
  /** When it ended, in milliseconds since the suite began. */
  endedAtMs: number;
}

type Unfinished =
  /** It ran out of time, `test` still running. */
  | { reason: 'hung'; test: string | undefined }
  /** It could not run to its end: the suite hung in other runs (`hungIn` the first), which held up vitest. */
  | { reason: 'stopped'; hungIn: SuiteRun; test: string | undefined }
  | VitestEnded;

/** Why vitest ended without its report of the whole run. */
type VitestEnded = { reason: 'vitest did not start' } | { reason: 'vitest stopped'; output: string };

export interface SuiteOutcome {
  runs: RunOutcome[];
  /** Vitest's own report of the runs that show it (the correct servers'), as it printed it. */
  vitestReport: string;
}

/** Plans the runs of `checks`: each check's `runs` (default one). */
export function planRuns(checks: SuiteCheck[]): SuiteRun[] {
  return checks.flatMap((check) =>
    Array.from({ length: check.runs ?? 1 }, (_, i) => ({
      check,
      index: i + 1,
      id: (check.runs ?? 1) > 1 ? `${check.id}-${i + 1}` : check.id,
      transcript: new Transcript(),
    })),
  );
}

/** Runs the suite in `suiteFile` once for each of `runs`. Never throws for what the suite does. */
export async function runSuite(suiteFile: string, runs: SuiteRun[]): Promise<SuiteOutcome> {
  const startedAt = performance.now();
  const folder = temporaryFolder();
  const servers = new RunServers(runs);
  const progress = new Progress(runs);
  let desk: AddressDesk | undefined;
  let vitest: RunningProgram | undefined;
  try {
    desk = await serveAddresses(
      (id) => servers.address(id),
      (id) => progress.answered(id),
    );
    const plan = writePlan(folder, suiteFile, runs);
    vitest = startVitest(plan, { NO_COLOR: '1', [HANDOFF_VARIABLE]: String(desk.port) });
    await progress.follow(vitest, plan);
    // What happens from here on (the checker stopping everything) is no part of any run.
    servers.detachTranscripts();
    // Stopped before the records are read: nothing writes them any more.
    await Promise.all([vitest.stop(), servers.stop()]);
    const unhandled = readUnhandled(folder);
    return {
      runs: runs.map((run): RunOutcome => {
        const endedAtMs = Math.round((progress.endedAt.get(run.id) ?? performance.now()) - startedAt);
        const failure = servers.failure(run.id);
        if (failure !== undefined) return { run, serverFailure: failure, unhandled: [], endedAtMs };
        const record = readRecord(folder, run.id);
        return {
          run,
          record,
          // An error vitest could not tie to a run is every run's: the suite crashed somewhere.
          unhandled: unhandled.filter((error) => error.run === run.id || error.run === undefined).map((error) => error.error),
          unfinished: record ? undefined : progress.unfinished(run),
          endedAtMs,
        };
      }),
      vitestReport: progress.report(),
    };
  } finally {
    await Promise.all([vitest?.stop(), servers.stop(), desk?.close()]);
    removeTempPath(folder);
  }
}

/**
 * Runs the suite once against the server at `url`, reported by vitest as it reports any test
 * file, each line handed to `print` (`npm run demo`). Resolves with vitest's exit status.
 */
export async function showSuite(suiteFile: string, url: string, print: (line: OutputLine) => void, colors: boolean): Promise<number> {
  const folder = temporaryFolder();
  try {
    const plan: SuitePlan = { suite: path.resolve(suiteFile), mode: 'show', runs: [], folder, marker: '', testTimeoutMs: scaled(TEST_TIMEOUT_MS), workers: 1 };
    writeFileSync(path.join(folder, PLAN_FILE), JSON.stringify(plan));
    const vitest = startVitest(plan, { WS_URL: url, ...(colors ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' }) });
    vitest.onOutput = print;
    const exit = await vitest.exited;
    await vitest.stop();
    return exit.code ?? 1;
  } finally {
    removeTempPath(folder);
  }
}

function temporaryFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'workbook-suite-'));
  trackTempPath(folder);
  return folder;
}

/**
 * The runs' servers, started in the order of the runs, a few at a time: a start is mostly
 * processor work, and a dozen at once on two cores would each take long enough to miss its own
 * deadline.
 */
class RunServers {
  private readonly started = new Map<string, Promise<LearnerServer>>();
  private readonly failures = new Map<string, string>();
  private readonly abort = new AbortController();
  private readonly all: Promise<unknown>;

  constructor(runs: SuiteRun[]) {
    const begin = new Map<string, (starting: Promise<LearnerServer>) => void>();
    for (const run of runs) {
      const started = new Promise<LearnerServer>((resolve) => begin.set(run.id, resolve));
      // Whoever asks for the server sees its failure; one nobody asks for must not be an unhandled rejection.
      started.catch(() => {});
      this.started.set(run.id, started);
    }
    this.all = mapConcurrently(runs, STARTS, async (run) => {
      const starting = this.abort.signal.aborted ? Promise.reject(new Error('The check ended first.')) : this.start(run);
      begin.get(run.id)!(starting);
      await starting.catch((error: unknown) => {
        // A server the checker stopped as it started did not fail: its run had no chance to begin.
        if (!this.abort.signal.aborted) this.failures.set(run.id, describeError(error));
      });
    });
  }

  /** The WebSocket address of run `id`'s server, once it accepts connections. */
  async address(id: string): Promise<string> {
    const started = this.started.get(id);
    if (!started) throw new Error(`There is no run "${id}".`);
    const server = await started;
    return `ws://${server.host === '::1' ? '[::1]' : server.host}:${server.port}`;
  }

  /** Why run `id`'s server could not start, if it could not. */
  failure(id: string): string | undefined {
    return this.failures.get(id);
  }

  /** From now on the servers' output and exits go to no run's transcript. */
  detachTranscripts(): void {
    for (const started of this.started.values()) {
      void started.then(
        (server) => {
          server.program.transcript = undefined;
        },
        () => {},
      );
    }
  }

  /** Stops every server, started or starting, and starts no more. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.all;
    await Promise.all(
      [...this.started.values()].map((started) =>
        started.then(
          (server) => server.stop(),
          () => {},
        ),
      ),
    );
  }

  private start(run: SuiteRun): Promise<LearnerServer> {
    const file = path.join(projectRoot, run.check.server);
    return startLearnerServer({ kind: 'file', file }, { cwd: path.dirname(file), transcript: run.transcript, signal: this.abort.signal });
  }
}

/** Writes an entry file for each run, and the plan that names them, into `folder`. */
function writePlan(folder: string, suiteFile: string, suiteRuns: SuiteRun[]): SuitePlan {
  const suite = path.resolve(suiteFile);
  const runs = suiteRuns.map((run) => ({ id: run.id, entry: path.join(folder, `${run.id}.test.ts`), reported: run.check.expect === 'pass' }));
  for (const run of runs) {
    const entry = [
      `import { serverAddress } from ${JSON.stringify(HANDOFF_MODULE)};`,
      `process.env.WS_URL = await serverAddress(${JSON.stringify(run.id)});`,
      `await import(${JSON.stringify(suite)});`,
    ];
    writeFileSync(run.entry, `${entry.join('\n')}\n`);
  }
  const plan: SuitePlan = {
    suite,
    mode: 'grade',
    runs,
    folder,
    marker: `@workbook-${randomBytes(6).toString('hex')} `,
    testTimeoutMs: scaled(TEST_TIMEOUT_MS),
    workers: WORKERS,
  };
  writeFileSync(path.join(folder, PLAN_FILE), JSON.stringify(plan));
  return plan;
}

/** Starts vitest on `plan` (written in its folder), in a process group of its own. */
function startVitest(plan: Pick<SuitePlan, 'folder'>, env: Record<string, string>): RunningProgram {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, VITEST_CLI, 'run', '--root', projectRoot, '--config', CONFIG_FILE, '--configLoader', 'runner'].map(quote).join(' ');
  return RunningProgram.start(
    { kind: 'command', command },
    { env: { [SUITE_PLAN_VARIABLE]: path.join(plan.folder, PLAN_FILE), ...env }, cwd: projectRoot, label: 'vitest' },
  );
}

/**
 * What vitest has said so far: the events of the runs (each run's transcript notes them), and
 * its own report, with each run's entry file named as the learner knows it. Each run's deadline
 * starts when it is given its server's address: the wait for its server is no time of the suite's.
 */
class Progress {
  readonly endedAt = new Map<string, number>();
  private readonly reportLines: string[] = [];
  private readonly runningTest = new Map<string, string>();
  private readonly runs: Map<string, SuiteRun>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  private readonly answeredRuns = new Set<string>();
  private readonly started = new Set<string>();
  /** The runs that ran out of time, with the test each was running. */
  private readonly hung = new Map<string, string | undefined>();
  private names: [string, string][] = [];
  private workers = 1;
  private stop: (why?: VitestEnded) => void = () => {};
  private why: VitestEnded | undefined;

  constructor(runs: SuiteRun[]) {
    this.runs = new Map(runs.map((run) => [run.id, run]));
  }

  /** Run `id` has been given its server's address (or told there is none): its time starts. */
  answered(id: string): void {
    this.answeredRuns.add(id);
    this.startClock(id, scaled(RUN_BUDGET_MS));
  }

  /**
   * Follows vitest until its report is done, or it stops, or it cannot go on: it did not begin
   * the first run in time, or runs that ran out of time hold up every run still to come.
   */
  async follow(vitest: RunningProgram, plan: SuitePlan): Promise<void> {
    this.workers = plan.workers;
    const suite = path.relative(projectRoot, plan.suite);
    this.names = plan.runs.map(({ id, entry }) => {
      const run = this.runs.get(id)!;
      return [path.relative(projectRoot, entry), (run.check.runs ?? 1) > 1 ? `${suite} (run ${run.index} of ${run.check.runs})` : suite];
    });
    const stopped = new Promise<VitestEnded | undefined>((resolve) => (this.stop = resolve));
    const startup = this.after(scaled(VITEST_START_MS), () => this.stop({ reason: 'vitest did not start' }));
    vitest.onOutput = (line) => {
      if (!line.text.startsWith(plan.marker)) {
        if (this.reportLines.length < MAX_REPORT_LINES) this.reportLines.push(this.named(line.text));
        return;
      }
      let event: SuiteEvent;
      try {
        event = JSON.parse(line.text.slice(plan.marker.length)) as SuiteEvent;
      } catch {
        // A line cut short (a test with a very long name): only that test's name is lost.
        return;
      }
      if (event.event === 'started') clearTimeout(startup);
      this.onEvent(event);
    };
    void vitest.exited.then(() => this.stop({ reason: 'vitest stopped', output: vitest.outputSummary() }));
    this.why = await stopped;
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** Why `run` has no record. */
  unfinished(run: SuiteRun): Unfinished {
    if (this.hung.has(run.id)) return { reason: 'hung', test: this.hung.get(run.id) };
    const [first] = this.hung;
    if (first) return { reason: 'stopped', hungIn: this.runs.get(first[0])!, test: first[1] };
    return this.why ?? { reason: 'vitest stopped', output: '' };
  }

  report(): string {
    return this.reportLines.join('\n').trim();
  }

  private onEvent(event: SuiteEvent): void {
    if (event.event === 'finished') {
      this.stop();
      return;
    }
    const run = this.runs.get(event.run);
    if (!run) return;
    if (event.event === 'started') {
      this.started.add(run.id);
      run.transcript.add('suite', 'note', 'vitest starts your suite');
      // Until it is given its address the run waits for its server, whose start has a deadline of
      // its own; this one only makes sure that a run never waits for ever, whatever happens.
      if (!this.answeredRuns.has(run.id)) this.startClock(run.id, scaled(RUN_BUDGET_MS) + deadline('start') * this.runs.size);
    } else if (event.event === 'test') {
      this.runningTest.set(run.id, event.name);
      run.transcript.add('suite', 'note', `test “${event.name}”`);
    } else {
      clearTimeout(this.deadlines.get(run.id));
      this.endedAt.set(run.id, performance.now());
      run.transcript.add('suite', 'note', 'your suite has finished');
      if (this.endedAt.size === this.runs.size) this.after(scaled(REPORT_MS), () => this.stop());
      this.stopIfHeldUp();
    }
  }

  /** Run `id` must end within `ms` from now, or it has hung. */
  private startClock(id: string, ms: number): void {
    const run = this.runs.get(id);
    if (!run) return;
    clearTimeout(this.deadlines.get(id));
    this.deadlines.set(
      id,
      this.after(ms, () => {
        this.hung.set(id, this.runningTest.get(id));
        run.transcript.add('suite', 'note', 'your suite is still running: the checker gives up on it');
        this.stopIfHeldUp();
      }),
    );
  }

  /**
   * Stops following vitest once a run has hung and nothing can go on: no other run is under
   * way, and either none is left to begin or the hung runs hold every worker. (A hung run keeps
   * its worker: a test waiting for ever, or a loop that never ends.)
   */
  private stopIfHeldUp(): void {
    if (this.hung.size === 0) return;
    const underWay = [...this.started].some((id) => !this.endedAt.has(id) && !this.hung.has(id));
    const toBegin = this.runs.size - this.started.size;
    if (!underWay && (toBegin === 0 || this.hung.size >= this.workers)) this.stop();
  }

  private after(ms: number, then: () => void): NodeJS.Timeout {
    const timer = setTimeout(then, ms);
    this.timers.add(timer);
    return timer;
  }

  /**
   * A line of vitest's report, with each entry file named as the run of the learner's file it
   * is, and without colour codes (a compiler's message may have them whatever NO_COLOR says).
   */
  private named(line: string): string {
    return this.names.reduce((text, [entry, name]) => text.replaceAll(entry, name), line.replace(/\x1b\[[0-9;]*m/g, ''));
  }
}

function readRecord(folder: string, run: string): RunRecord | undefined {
  try {
    return JSON.parse(readFileSync(path.join(folder, RECORD_FILE(run)), 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

function readUnhandled(folder: string): UnhandledRecord[] {
  let text: string;
  try {
    text = readFileSync(path.join(folder, UNHANDLED_FILE), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as UnhandledRecord);
}
