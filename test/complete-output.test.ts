import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../checker/core/paths.ts';
import type { LessonResult } from '../checker/running/results.ts';
import type { CliRun } from './run-cli.ts';
import { copyWorkbook } from './workbook-copy.ts';

/**
 * Whatever a command prints arrives whole through a real pipe, on every way out: a report far
 * larger than a pipe holds (64 KiB) is read complete, never cut where the pipe was full when
 * the checker exited.
 */

const MiB = 1024 * 1024;
let workbook: ReturnType<typeof copyWorkbook>;
beforeAll(() => {
  workbook = copyWorkbook();
});
afterAll(() => workbook.remove());

/**
 * Runs `command` with its stdout going into a pipe(2), as in `npm run check -- --json | jq`:
 * Node.js's own 'pipe' for a child is a socket pair, whose buffer is several times larger.
 * The status is the command's own (pipefail), and its stderr is read as well. `reader` is the
 * command at the other end of the pipe.
 */
function throughPipe(command: string[], cwd = projectRoot, reader = 'cat'): Promise<CliRun> {
  const startedAt = performance.now();
  const child = spawn('bash', ['-c', `set -o pipefail; "$@" | ${reader}`, 'bash', ...command], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr, ms: performance.now() - startedAt }));
  });
}

/** A workbook command, as the npm scripts run it. */
const cli = (...args: string[]) => [process.execPath, '--import', 'tsx', 'checker/cli.ts', ...args];

describe('output through a pipe', () => {
  it('a lesson text of over 1.5 MiB arrives whole (a normal end)', async () => {
    const paragraph = 'The server answers every message with "Echo: " and the message itself. '.repeat(8);
    const text = ['# Lesson 01 · Echo server', ...Array.from({ length: 3_000 }, (_, i) => `Paragraph ${i}. ${paragraph}`), 'The last paragraph.'];
    writeFileSync(path.join(workbook.root, 'lessons/01-echo/README.md'), text.join('\n\n'));
    const run = await throughPipe(cli('lesson', '1'), workbook.root);
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(1.5 * MiB);
    expect(run.stdout).toContain('Paragraph 2999.');
    expect(run.stdout).toMatch(/The last paragraph\.[\s\S]*Check it: npm run check -- 1 .*\n$/);
  });

  it('the JSON report of a program that floods its output and replies wrongly parses (a failure)', async () => {
    const flooder = 'node test/fixtures/faults/floods-and-replies-wrong.mjs';
    const run = await throughPipe(cli('check', '1', '--server', flooder, '--json'));
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { lessons: LessonResult[] };
    expect(report.lessons[0]!.checks.find((check) => check.id === 'replies')?.status).toBe('failed');
  });

  it('a reader that stops reading early: the checker ends as usual, without an error of its own', async () => {
    const flooder = 'node test/fixtures/faults/floods-and-replies-wrong.mjs';
    const run = await throughPipe(cli('check', '1', '--server', flooder, '--json'), projectRoot, 'head -c 20');
    expect(run.stdout).toHaveLength(20);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
  });

  it('a usage error still says what would be right, in full', async () => {
    const run = await throughPipe(cli('check', '99'));
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/99/);
  });

  it('Ctrl-C while a long report is still in the pipe: all of it arrives, then the exit status of an interrupt', async () => {
    const lines = 40_000;
    const run = await throughPipe([process.execPath, '--import', 'tsx', 'test/fixtures/output/interrupted-after-printing.ts', String(lines)]);
    expect(run.status).toBe(130);
    expect(run.stdout.length).toBeGreaterThan(2 * MiB);
    expect(run.stdout.split('\n')).toHaveLength(lines + 1);
  });
});
