import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCommand } from './helpers.ts';
import { processesMentioning } from './processes.ts';
import { copyWorkbook } from './workbook-copy.ts';

/**
 * `npm run check -- 1 --watch` as a pipe sees it (no terminal), in a copy of the workbook: a
 * verdict at once, a new verdict after every save that changes the exercise (a save during a
 * check is checked once more after it), and on SIGINT an exit that leaves no program running.
 */
let workbook: ReturnType<typeof copyWorkbook>;
beforeAll(() => {
  workbook = copyWorkbook();
});
afterAll(() => workbook.remove());

const VERDICT = /^Lesson 01 (passed|is not passing yet)/m;

it('checks again on every save, and stops cleanly on SIGINT', async () => {
  const exercise = path.join(workbook.root, 'exercises', '01-echo', 'server.ts');
  const starter = readFileSync(exercise, 'utf8');
  const solution = readFileSync(path.join(workbook.root, 'solutions', '01-echo', 'server.ts'), 'utf8');
  const cli = spawn(process.execPath, ['checker/start.mjs', 'check', '1', '--watch'], {
    cwd: workbook.root,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new Output();
  cli.stdout.on('data', (chunk: Buffer) => output.add(chunk.toString()));
  cli.stderr.on('data', (chunk: Buffer) => output.add(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    cli.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    expect(await output.next(VERDICT)).toMatch(/is not passing yet/);
    expect(output.text).toMatch(/^Checking lesson 1 · Echo server…$/m);
    await output.next(/Watching exercises\/01-echo\/ for changes/);

    writeFileSync(exercise, solution);
    expect(await output.next(VERDICT)).toMatch(/passed/);

    // Saved again while that check runs: that check's verdict (on whichever version its server
    // read), then one more check, of the last save.
    writeFileSync(exercise, starter);
    await output.next(/^Checking lesson 1/m);
    writeFileSync(exercise, `${solution}\n// saved during a check\n`);
    await output.next(VERDICT);
    await output.next(/^Checking lesson 1/m);
    expect(await output.next(VERDICT)).toMatch(/passed/);

    // Interrupted in the middle of a check: its server must not outlive the checker.
    writeFileSync(exercise, starter);
    await output.next(/^Checking lesson 1/m);
    cli.kill('SIGINT');
    const exit = await exited;
    expect(exit.code ?? exit.signal).toBe(130);
    expect(processesMentioning(workbook.root)).toEqual([]);
    expect(output.text).not.toMatch(/\n\s+at /);
  } finally {
    cli.kill('SIGKILL');
  }
});

it('is a usage error without exactly one lesson, or with --json', () => {
  for (const args of [['--watch'], ['1', '--watch', '--json'], ['1', '--watch', '--server', 'node x.js']]) {
    const result = runCommand(['check', ...args]);
    expect(result.status, args.join(' ')).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--watch/);
  }
});

/** Everything the CLI printed, and a way to wait for the next line matching a pattern. */
class Output {
  text = '';
  private read = 0;
  private wake: () => void = () => {};

  add(text: string): void {
    this.text += text;
    this.wake();
  }

  /** The next line (after the last one found) that matches, within 30 s. */
  async next(pattern: RegExp): Promise<string> {
    const until = performance.now() + 30_000;
    for (;;) {
      const rest = this.text.slice(this.read);
      const match = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`).exec(rest);
      if (match) {
        const end = rest.indexOf('\n', match.index);
        const line = rest.slice(match.index, end === -1 ? undefined : end);
        this.read += match.index + line.length;
        return line;
      }
      const left = until - performance.now();
      if (left <= 0) throw new Error(`No line matching ${pattern} within 30 s. Output so far:\n${this.text}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
