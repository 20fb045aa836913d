import { seconds, scaled } from '../core/deadlines.ts';
import type { FailureDetails } from '../core/errors.ts';
import type { SuiteCheck } from './lesson-definition.ts';
import type { CheckResult } from './results.ts';
import { RUN_BUDGET_MS, TEST_TIMEOUT_MS, VITEST_START_MS, type RunOutcome, type SuiteOutcome, type SuiteRun } from './run-suite.ts';

/**
 * The verdicts of a tests lesson's checks, from what the suite's runs did. Against a correct
 * server every test must pass, in every run; against a wrong one some test must fail. Either
 * way a suite that hangs, crashes or cannot load fails the check, saying which.
 */
export function suiteVerdicts(checks: SuiteCheck[], outcome: SuiteOutcome, lessonNumber: number): CheckResult[] {
  const fileErrors = `Vitest could not load the file or run its hooks. \`npm run demo -- ${lessonNumber}\` runs it as vitest does, with the whole error.`;
  return checks.map((check) => {
    const runs = outcome.runs.filter((run) => run.run.check === check);
    const durationMs = Math.max(0, ...runs.map((run) => run.endedAtMs));
    const verdict = check.expect === 'pass' ? passes(check, runs, outcome.vitestReport, fileErrors) : catches(check, runs, fileErrors);
    const result: CheckResult = {
      id: check.id,
      name: check.name,
      status: verdict.failed ? 'failed' : 'passed',
      message: verdict.failed?.message ?? '',
      durationMs,
    };
    if (verdict.failed) {
      result.details = verdict.failed.details;
      result.transcript = verdict.failed.run.run.transcript.lines();
    }
    if (verdict.caughtBy) result.caughtBy = verdict.caughtBy;
    return result;
  });
}

interface Verdict {
  failed?: { message: string; details: FailureDetails; run: RunOutcome };
  caughtBy?: string[];
}

/** A correct server: every test passes in every run. */
function passes(check: SuiteCheck, runs: RunOutcome[], vitestReport: string, fileErrors: string): Verdict {
  const broken = runs.map((run) => ({ run, broken: brokenRun(run, runLabel(run.run), fileErrors) })).filter((found) => found.broken);
  // The run that hung tells more than the runs stopped because of it.
  const first = broken.find(({ run }) => run.unfinished?.reason === 'hung') ?? broken[0];
  if (first) return { failed: { ...first.broken!, run: first.run } };
  const records = runs.map((run) => run.record!);
  if (records.every((record) => record.tests.every((test) => test.state === 'skipped'))) {
    const message = records[0]!.tests.length === 0 ? 'Your file has no tests: vitest found nothing to run.' : 'Every test of your file was skipped.';
    return { failed: { message, details: { explanation: 'Write tests with it() (or test()) from vitest.' }, run: runs[0]! } };
  }
  const failing = runs.filter((run) => run.record!.tests.some((test) => test.state === 'failed' || test.retried));
  if (failing.length === 0) return {};
  const firstFailing = failing[0]!;
  const tests = firstFailing.record!.tests.filter((test) => test.state === 'failed' || test.retried);
  const retriedOnly = tests.every((test) => test.state !== 'failed');
  const where =
    runs.length === 1
      ? ''
      : failing.length === runs.length
        ? ` in all ${runs.length} runs`
        : ` in ${failing.map((run) => `run ${run.run.index}`).join(' and ')} of ${runs.length}`;
  return {
    failed: {
      message:
        `${listTests(tests.map((test) => test.name))} ${retriedOnly ? 'passed only on a second try' : 'failed'}${where} against ${check.about}. ` +
        'A test that fails against a correct server is a false alarm.',
      details: {
        expected: `every test passes against ${check.about}${runs.length > 1 ? ', in every run' : ''}`,
        received: bounded(vitestReport) || tests.flatMap((test) => test.errors.map((error) => `${test.name}: ${error}`)).join('\n'),
        explanation: retriedOnly || failing.length < runs.length ? FLAKY : WRONG_EXPECTATION,
      },
      run: firstFailing,
    },
  };
}

/** A wrong server: some test fails on it, in every run (and none hangs). */
function catches(check: SuiteCheck, runs: RunOutcome[], fileErrors: string): Verdict {
  for (const run of runs) {
    const broken = brokenRun(run, runLabel(run.run), fileErrors);
    if (broken) return { failed: { ...broken, run } };
    if (run.record!.tests.some((test) => test.state === 'failed')) continue;
    return {
      failed: {
        message: `Every test passed against ${runLabel(run.run)}.`,
        details: { expected: 'at least one test fails against this server', explanation: check.howToCatch },
        run,
      },
    };
  }
  return { caughtBy: runs[0]!.record!.tests.filter((test) => test.state === 'failed').map((test) => test.name) };
}

/** What went wrong with a run whatever the server: it did not run, hung, crashed, or could not load. */
function brokenRun(run: RunOutcome, against: string, fileErrors: string): { message: string; details: FailureDetails } | undefined {
  const budget = seconds(scaled(RUN_BUDGET_MS));
  if (run.serverFailure !== undefined) {
    return {
      message: `The workbook could not start ${against} for your suite: ${run.serverFailure}`,
      details: { explanation: 'That is no fault of your tests. On a slow or busy machine, try again with --timeout-scale 3.' },
    };
  }
  const unfinished = run.unfinished;
  if (unfinished?.reason === 'hung') {
    return {
      message: `Your suite did not finish within ${budget} against ${against}${unfinished.test ? `: it was still running “${unfinished.test}”` : ''}.`,
      details: { expected: `the whole file finishes within ${budget} against each server`, explanation: HANGS },
    };
  }
  if (unfinished?.reason === 'stopped') {
    const running = unfinished.test ? `, still running “${unfinished.test}” after ${budget}` : ` within ${budget}`;
    return {
      message:
        `Your suite did not finish against ${against}: it did not finish against ${runLabel(unfinished.hungIn)}${running}, ` +
        'which held up the runs after it, so the checker stopped them all.',
      details: { expected: `the whole file finishes within ${budget} against each server`, explanation: HANGS },
    };
  }
  if (unfinished?.reason === 'vitest did not start') {
    return { message: `Vitest did not start your suite within ${seconds(scaled(VITEST_START_MS))}.`, details: { explanation: fileErrors } };
  }
  if (unfinished) {
    return { message: `Vitest stopped before your suite finished against ${against}.`, details: { received: unfinished.output, explanation: fileErrors } };
  }
  const record = run.record!;
  if (run.unhandled.length > 0) {
    return {
      message: `Your suite crashed against ${against}: it raised an error that no test caught (vitest reports it as an unhandled error).`,
      details: { received: run.unhandled.join('\n\n'), explanation: CRASHES },
    };
  }
  if (record.fileErrors.length > 0) {
    return { message: `Your test file did not run against ${against}.`, details: { received: record.fileErrors.join('\n\n'), explanation: fileErrors } };
  }
  const hung = record.tests.find((test) => test.timedOut);
  if (hung) {
    return {
      message: `“${hung.name}” hung against ${against}: vitest stopped it after ${seconds(scaled(TEST_TIMEOUT_MS))}.`,
      details: { expected: 'every test ends by itself, failing on a deadline of its own if what it waits for never comes', explanation: HANGS },
    };
  }
  return undefined;
}

function runLabel(run: SuiteRun): string {
  const runs = run.check.runs ?? 1;
  return runs > 1 ? `${run.check.about} (run ${run.index} of ${runs})` : run.check.about;
}

function listTests(names: string[]): string {
  const quoted = unique(names).map((name) => `“${name}”`);
  if (quoted.length === 1) return quoted[0]!;
  if (quoted.length > 3) return `${quoted.slice(0, 3).join(', ')} and ${quoted.length - 3} more tests`;
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

const unique = (items: string[]) => [...new Set(items)];

const MAX_REPORT_LINES = 120;

/** Vitest's report, cut to its first lines when it is long. */
function bounded(output: string): string {
  const lines = output.split('\n');
  if (lines.length <= MAX_REPORT_LINES) return output;
  return [...lines.slice(0, MAX_REPORT_LINES), `… ${lines.length - MAX_REPORT_LINES} more lines of vitest's report`].join('\n');
}

const FLAKY =
  'It passed in the other runs, so it depends on timing or on what ran before it: it sleeps and hopes a message has arrived, ' +
  'counts on messages from two connections arriving in an order nobody promised, or meets clients an earlier test left open. ' +
  'Wait for each message with a deadline, give each test users of its own, and close every client after each test.';

const WRONG_EXPECTATION =
  'It failed in every run, so either it expects something the contract does not promise, or it depends on timing every time. ' +
  'Compare what it expects with the contract, character by character, and with who receives what. And wait for each message ' +
  'with a deadline rather than looking after a fixed time: a reply takes as long as it takes.';

const HANGS =
  'Every wait in a test needs a deadline of its own: wait for the next message with a timer that fails the test after a ' +
  'second or two, and never sleep for a fixed time. A test that fails on its deadline has caught a bug; one that waits for ' +
  'something that never comes only stops the suite.';

const CRASHES =
  "Give every client a test opens an 'error' listener (in ws, an 'error' event nobody listens to is thrown, and stops the " +
  'file), and await every promise a test starts, so that a failure fails the test that caused it.';
