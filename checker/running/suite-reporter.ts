import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultReporter, type SerializedError, type TestCase, type TestModule, type TestRunEndReason } from 'vitest/node';
import {
  RECORD_FILE,
  UNHANDLED_FILE,
  type PlannedRun,
  type RunRecord,
  type SuiteEvent,
  type SuitePlan,
  type TestRecord,
  type UnhandledRecord,
} from './suite-plan.ts';

/**
 * The reporter of a graded suite run, loaded by vitest in its own process (through
 * suite-vitest.config.ts). For every run it prints an event line as the run starts, as each
 * test starts, and as the run ends, and writes the run's record when it ends, so the checker
 * knows what happened even when it has to stop a run that hangs. For the runs the plan marks
 * as reported, it is vitest's own default reporter: the checker shows that output, failures,
 * code frames and diffs included, when the suite fails against a correct server.
 */
export class SuiteReporter extends DefaultReporter {
  private readonly runsByEntry: Map<string, PlannedRun>;

  constructor(private readonly plan: SuitePlan) {
    super();
    this.runsByEntry = new Map(plan.runs.map((run) => [run.entry, run]));
  }

  override onTestModuleQueued(module: TestModule): void {
    const run = this.runOf(module.moduleId);
    if (run) this.emit({ event: 'started', run: run.id });
    if (run?.reported) super.onTestModuleQueued(module);
  }

  override onTestModuleCollected(module: TestModule): void {
    if (this.runOf(module.moduleId)?.reported) super.onTestModuleCollected(module);
  }

  override onTestCaseReady(test: TestCase): void {
    const run = this.runOf(test.module.moduleId);
    if (run) this.emit({ event: 'test', run: run.id, name: test.fullName });
    if (run?.reported) super.onTestCaseReady(test);
  }

  override onTestCaseResult(test: TestCase): void {
    if (this.runOf(test.module.moduleId)?.reported) super.onTestCaseResult(test);
  }

  override onTestModuleEnd(module: TestModule): void {
    const run = this.runOf(module.moduleId);
    if (!run) return;
    if (run.reported) super.onTestModuleEnd(module);
    writeAtomically(path.join(this.plan.folder, RECORD_FILE(run.id)), JSON.stringify(record(run, module)));
    this.emit({ event: 'ended', run: run.id });
  }

  override onUserConsoleLog(log: Parameters<DefaultReporter['onUserConsoleLog']>[0], taskState?: Parameters<DefaultReporter['onUserConsoleLog']>[1]): void {
    const file = log.taskId === undefined ? undefined : this.ctx.state.idMap.get(log.taskId)?.file?.filepath;
    if (file !== undefined && this.runOf(file)?.reported) super.onUserConsoleLog(log, taskState);
  }

  override onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const reported = (file: unknown) => typeof file === 'string' && this.runOf(file)?.reported === true;
    super.onTestRunEnd(
      modules.filter((module) => reported(module.moduleId)),
      errors.filter((error) => reported(error.VITEST_TEST_PATH)),
      reason,
    );
    this.emit({ event: 'finished' });
  }

  /** Records an error no test caught, as vitest reports it (config's onUnhandledError). */
  unhandled(error: ErrorLike & { VITEST_TEST_PATH?: unknown }): void {
    const entry = error.VITEST_TEST_PATH;
    const line: UnhandledRecord = { run: typeof entry === 'string' ? this.runOf(entry)?.id : undefined, error: describe(error) };
    appendFileSync(path.join(this.plan.folder, UNHANDLED_FILE), `${JSON.stringify(line)}\n`);
  }

  private runOf(file: string): PlannedRun | undefined {
    return this.runsByEntry.get(file);
  }

  private emit(event: SuiteEvent): void {
    process.stdout.write(`${this.plan.marker}${JSON.stringify(event)}\n`);
  }
}

function record(run: PlannedRun, module: TestModule): RunRecord {
  const tests: TestRecord[] = [...module.children.allTests()].map((test) => {
    const result = test.result();
    const errors = result.errors ?? [];
    const diagnostic = test.diagnostic();
    return {
      name: test.fullName,
      state: result.state === 'failed' ? 'failed' : result.state === 'passed' ? 'passed' : 'skipped',
      errors: errors.map(describe),
      timedOut: errors.some((error) => /^(Test|Hook) timed out in \d+ms/.test(error.message)),
      retried: (diagnostic?.retryCount ?? 0) > 0 && result.state === 'passed',
      durationMs: Math.round(diagnostic?.duration ?? 0),
    };
  });
  return { run: run.id, durationMs: Math.round(module.diagnostic().duration), fileErrors: module.errors().map(describe), tests };
}

interface ErrorLike {
  name?: string;
  message: string;
  stack?: string;
}

/**
 * An error's message, with the first lines of its stack that are not vitest's or Node.js's own,
 * without colour codes (a compiler's message may have them whatever NO_COLOR says).
 */
function describe(error: ErrorLike): string {
  const message = `${error.name && !error.message.startsWith(error.name) ? `${error.name}: ` : ''}${error.message.replace(/\x1b\[[0-9;]*m/g, '')}`;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !/node_modules|node:internal|\(node:/.test(line))
    .slice(0, 3);
  return [message, ...frames].join('\n');
}

/** Written whole or not at all: the checker may read it while this process is being stopped. */
function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
