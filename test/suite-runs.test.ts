import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LessonResult } from '../checker/running/results.ts';
import { eventually, processesMentioning } from './processes.ts';
import { runCommand } from './helpers.ts';
import { startCli } from './run-cli.ts';
import { copyWorkbook } from './workbook-copy.ts';

/**
 * Lesson 18 runs the learner's test suite in a vitest of its own, against a dozen servers. A
 * suite that never ends is stopped at its deadline, Ctrl-C stops everything, and either way
 * no process is left: every program of the workbook copy used here has the copy's path in its
 * command line (its servers, its vitest), so "nothing left" is looked up for real.
 */
let workbook: ReturnType<typeof copyWorkbook>;
const exercise = () => path.join(workbook.root, 'exercises', '18-testing', 'chat.test.ts');
const leftOver = () => processesMentioning(workbook.root);

beforeAll(() => {
  workbook = copyWorkbook();
});
afterAll(() => workbook.remove());

describe.sequential('a learner suite run by lesson 18', () => {
  it('that blocks vitest for ever is stopped at its deadline, as a failed check, leaving nothing running', { timeout: 120_000 }, async () => {
    writeFileSync(exercise(), "import { it } from 'vitest';\n\nit('waits for a message', () => {\n  for (;;) {}\n});\n");
    const startedAt = performance.now();
    const result = runCommand(['check', '18', '--json'], { root: workbook.root });
    const [lesson] = (JSON.parse(result.stdout) as { lessons: LessonResult[] }).lessons;
    const reference = lesson!.checks[0]!;
    expect(reference.status).toBe('failed');
    expect(reference.message).toMatch(/did not finish within 10 s against the reference server/);
    expect(
      lesson!.checks
        .filter((check) => check.id !== 'type-checks')
        .slice(1)
        .every((check) => check.status === 'skipped'),
    ).toBe(true);
    expect(result.status).toBe(1);
    // The run's deadline, and the starts of the servers and of vitest around it.
    expect(performance.now() - startedAt).toBeLessThan(60_000);
    expect(await eventually(() => leftOver().length === 0, 5_000), `left running: ${leftOver().join(', ')}`).toBe(true);
  });

  it('stops everything on Ctrl-C, with status 130', { timeout: 120_000 }, async () => {
    writeFileSync(exercise(), "import { it } from 'vitest';\n\nit('waits', () => new Promise(() => {}), 60_000);\n");
    const cli = startCli(['check', '18'], { cwd: workbook.root });
    // Vitest and a few servers running: the runs are under way.
    const underWay = () => processesMentioning('vitest.mjs').some((pid) => leftOver().includes(pid)) && leftOver().length >= 5;
    expect(await eventually(underWay, 60_000), 'vitest and its servers should have started').toBe(true);
    cli.child.kill('SIGINT');
    const run = await cli.done;
    expect(run.status, run.stderr).toBe(130);
    expect(await eventually(() => leftOver().length === 0, 5_000), `left running: ${leftOver().join(', ')}`).toBe(true);
  });
});
