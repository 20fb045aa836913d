import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { SUITE_PLAN_VARIABLE, type SuitePlan } from './suite-plan.ts';
import { SuiteReporter } from './suite-reporter.ts';

/**
 * The vitest configuration for running a learner's test suite (run-suite.ts starts vitest with
 * it, the plan named in the environment). Graded, the suite runs once per planned run: each
 * run is an entry file that sets WS_URL and imports the suite, isolated from the other runs as
 * vitest isolates test files (modules, mocks and timers of its own). Shown (`npm run demo`),
 * the suite runs as vitest runs any file.
 */
const plan = JSON.parse(readFileSync(process.env[SUITE_PLAN_VARIABLE] ?? '', 'utf8')) as SuitePlan;
const graded = plan.mode === 'grade';
const reporter = graded ? new SuiteReporter(plan) : undefined;

/** Runs the files in the order of the plan (the correct server's runs first), not by vitest's guess of their length. */
class InPlanOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const order = plan.runs.map((run) => run.entry);
    return [...files].sort((a, b) => order.indexOf(a.moduleId) - order.indexOf(b.moduleId));
  }
}

export default defineConfig({
  test: {
    include: graded ? plan.runs.map((run) => run.entry) : [plan.suite],
    exclude: [],
    pool: 'threads',
    maxWorkers: plan.workers,
    sequence: { sequencer: InPlanOrder },
    testTimeout: plan.testTimeoutMs,
    hookTimeout: plan.testTimeoutMs,
    teardownTimeout: 1_000,
    // Shown, every test is listed as it ends, as vitest's verbose reporter does.
    reporters: reporter ? [reporter] : ['verbose'],
    onUnhandledError: reporter ? (error) => reporter.unhandled(error) : undefined,
    // The learner's `it.only` works as it does on their own machine, CI or not.
    allowOnly: true,
    passWithNoTests: true,
    watch: false,
    // Vitest's record of earlier runs orders files by it; the order here is the plan's, and many
    // checkers may run at once, which must not write one file together.
    cache: false,
  },
});
