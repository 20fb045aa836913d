/**
 * `npm run bench [-- --runs N]`: how fast the workbook gives feedback on this machine.
 *
 * Every figure is the median of N runs (default 7) after one warm-up run, measured from a
 * temporary copy of the workbook in which every exercise holds the reference solution, so
 * `npm run check -- 1` checks a correct program exactly as a learner runs it and the real
 * exercises and progress file are never touched. The floor (Node.js start, tsx, npm) is
 * measured in the same run, so the numbers can be read against what this machine can do at all:
 * every time is also shown as a multiple of a bare `node -e 0`, and every row with the load
 * average when it was measured (other programs running slow everything down).
 * Nothing is asserted: it prints a table, with DESIGN.md's targets beside the figures.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { copyWorkbook } from '../test/workbook-copy.ts';

interface Row {
  what: string;
  samples: number[];
  unit: 'ms' | 'MB';
  target?: string;
  note?: string;
  /** The 1-minute load average once the row was measured. */
  load?: number;
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench: --runs takes a whole number of runs, like --runs 7.');
  process.exit(2);
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  const workbook = makeSandbox();
  const root = workbook.root;
  process.once('SIGINT', () => {
    workbook.remove();
    process.exit(130);
  });
  try {
    const rows: Row[] = [];
    const lessons = readdirSync(path.join(root, 'lessons'))
      .filter((name) => /^\d{2}-/.test(name))
      .sort();
    const cli = ['checker/start.mjs'];
    progress('the floor');
    rows.push(await timed(root, 'node -e 0 (bare Node.js start)', process.execPath, ['-e', '0']));
    rows.push(await timed(root, 'node --import tsx on a trivial .ts file', process.execPath, ['--import', 'tsx', 'trivial.ts']));
    rows.push(await timed(root, 'npm run of a script that is node -e 0', 'npm', ['run', 'noop']));
    rows.push(
      await timed(root, 'checker start and exit, nothing checked (a usage error)', process.execPath, [...cli, 'check', 'no-such-lesson'], { status: 2 }),
    );
    progress('checks');
    rows.push(await timed(root, 'npm run check -- 1 (a correct program)', 'npm', ['run', 'check', '--', '1'], { target: '≤ 0.6 s' }));
    // DESIGN.md's average leaves out lesson 18, which runs the learner's whole test suite against a dozen servers.
    const averaged = lessons.filter((lesson) => !lesson.startsWith('18-'));
    const range = `${Number(averaged[0]!.slice(0, 2))}-${Number(averaged.at(-1)!.slice(0, 2))}`;
    const all = await timed(root, `npm run check -- ${range} --solutions (every lesson but 18)`, 'npm', ['run', 'check', '--', range, '--solutions']);
    rows.push(all, {
      ...all,
      what: '  the same, a lesson on average',
      samples: all.samples.map((ms) => ms / averaged.length),
      target: '≤ 0.5 s',
      note: undefined,
    });
    progress('each lesson');
    for (const lesson of lessons) {
      rows.push(
        await timed(root, `npm run check -- ${Number(lesson.slice(0, 2))} (${lesson})`, 'npm', ['run', 'check', '--', lesson.slice(0, 2)], {
          target: lesson.startsWith('18-') ? '≤ 5 s' : '≤ 1.5 s',
        }),
      );
    }
    progress('watch mode');
    rows.push(...(await watchLatency(root)));
    progress('memory');
    rows.push(await loadCheckMemory(root, lessons));
    console.log(formatTable(rows, loadAtStart));
  } finally {
    workbook.remove();
  }
}

/** A copy of the workbook whose exercises are the reference solutions, plus two helpers for the floor. */
function makeSandbox(): { root: string; remove: () => void } {
  const workbook = copyWorkbook();
  const { root } = workbook;
  for (const folder of readdirSync(path.join(root, 'solutions'))) {
    cpSync(path.join(root, 'solutions', folder), path.join(root, 'exercises', folder), { recursive: true });
  }
  const manifestFile = path.join(root, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { scripts: Record<string, string> };
  manifest.scripts.noop = 'node -e 0';
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  writeFileSync(path.join(root, 'trivial.ts'), 'const answer: number = 42;\nexport default answer;\n');
  return workbook;
}

interface Finished {
  ms: number;
  status: number | null;
  output: string;
}

function run(root: string, command: string, args: string[]): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(command, args, { cwd: root, env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ ms: performance.now() - startedAt, status, output }));
  });
}

function benchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', CI: '1', npm_config_loglevel: 'error' };
}

/** One warm-up run, then `runs` timed ones; any unexpected exit status is shown in the table. */
async function timed(root: string, what: string, command: string, args: string[], options: { status?: number; target?: string } = {}): Promise<Row> {
  const expected = options.status ?? 0;
  await run(root, command, args);
  const samples: number[] = [];
  let note: string | undefined;
  for (let i = 0; i < runs; i++) {
    const finished = await run(root, command, args);
    samples.push(finished.ms);
    if (finished.status !== expected && !note) note = `exit status ${finished.status}, expected ${expected}: ${whatFailed(finished.output)}`;
  }
  return { what, samples, unit: 'ms', target: options.target, note, load: loadavg()[0] };
}

/**
 * Starts `check 1 --watch` with pipes (no terminal), then saves the exercise `runs` times,
 * each time waiting for the verdict: the time from the write to the "Checking" line, and to
 * the verdict line, as the learner would see them appear.
 */
async function watchLatency(root: string): Promise<Row[]> {
  const exercise = path.join(root, 'exercises', '01-echo', 'server.ts');
  const original = readFileSync(exercise, 'utf8');
  const child = spawn(process.execPath, ['checker/start.mjs', 'check', '1', '--watch'], {
    cwd: root,
    env: benchEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = new LineWaiter();
  child.stdout.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (status) => {
      lines.end(`it exited with status ${status}`);
      resolve(status);
    }),
  );
  const verdict = /^Lesson \d+ (passed|is not passing)/;
  try {
    await lines.next(verdict, 30_000);
    const started: number[] = [];
    const verdicts: number[] = [];
    let note: string | undefined;
    for (let i = 0; i < runs + 1; i++) {
      const savedAt = performance.now();
      writeFileSync(exercise, `${original}\n// saved by the benchmark, round ${i}\n`);
      await lines.next(/^Checking lesson/, 10_000);
      const checking = performance.now() - savedAt;
      const line = await lines.next(verdict, 30_000);
      if (!/passed/.test(line)) note ??= `a verdict said: ${line}`;
      // The first save warms up (disk cache, the compiler), like every other measurement.
      if (i === 0) continue;
      started.push(checking);
      verdicts.push(performance.now() - savedAt);
    }
    return [
      { what: 'watch: save → "Checking lesson 1…" shown', samples: started, unit: 'ms', load: loadavg()[0] },
      { what: 'watch: save → verdict shown (lesson 01)', samples: verdicts, unit: 'ms', target: '≤ 0.3 s', note, load: loadavg()[0] },
    ];
  } catch (error) {
    const reason = `watch mode did not answer: ${error instanceof Error ? error.message : String(error)}`;
    return [{ what: 'watch: save → verdict shown (lesson 01)', samples: [], unit: 'ms', target: '≤ 0.3 s', note: reason }];
  } finally {
    child.kill('SIGINT');
    await exited;
    writeFileSync(exercise, original);
  }
}

/**
 * The checker's own peak resident memory (VmHWM, sampled from /proc while it runs) over a whole
 * `check 6 --solutions`, whose heaviest part is the load check; the learner's server is not counted.
 */
async function loadCheckMemory(root: string, lessons: string[]): Promise<Row> {
  const what = "checker's peak memory, check 6 --solutions (load check)";
  const chat = lessons.find((name) => name.startsWith('06-'));
  if (!chat) return { what, samples: [], unit: 'MB', target: '≤ 150 MB', note: 'lesson 06 is not in this branch yet' };
  const samples: number[] = [];
  let note: string | undefined;
  for (let i = 0; i < runs; i++) {
    const { peakMb, status, output } = await peakMemory(root, process.execPath, ['checker/start.mjs', 'check', '6', '--solutions']);
    samples.push(peakMb);
    if (status !== 0) note ??= `exit status ${status}: ${whatFailed(output)}`;
  }
  return { what, samples, unit: 'MB', target: '≤ 150 MB', note, load: loadavg()[0] };
}

function peakMemory(root: string, command: string, args: string[]): Promise<{ peakMb: number; status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    let output = '';
    const sample = () => {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readIfPresent(`/proc/${child.pid}/status`));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    };
    const sampler = setInterval(sample, 10);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.stdout.once('end', sample);
    child.once('error', reject);
    child.once('close', (status) => {
      clearInterval(sampler);
      resolve({ peakMb: peakKb / 1024, status, output });
    });
  });
}

/** Lines of a child's output, and a way to wait for the next one that matches. */
class LineWaiter {
  private buffered = '';
  private lines: string[] = [];
  private wake: (() => void) | undefined;
  private ended: string | undefined;

  push(text: string): void {
    const parts = (this.buffered + text).split('\n');
    this.buffered = parts.pop() ?? '';
    this.lines.push(...parts.map((line) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')));
    this.wake?.();
  }

  end(why: string): void {
    this.ended = why;
    this.wake?.();
  }

  async next(pattern: RegExp, ms: number): Promise<string> {
    const until = performance.now() + ms;
    for (;;) {
      const index = this.lines.findIndex((line) => pattern.test(line));
      if (index >= 0) {
        const line = this.lines[index]!;
        this.lines = this.lines.slice(index + 1);
        return line;
      }
      this.lines = [];
      if (this.ended) throw new Error(`no line matching ${pattern}: ${this.ended}`);
      const left = until - performance.now();
      if (left <= 0) throw new Error(`no line matching ${pattern} within ${ms} ms`);
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

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function formatTable(rows: Row[], loadAtStart: number): string {
  const show = (value: number, unit: Row['unit']) => (unit === 'ms' ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} MB`);
  // The first row is the floor: a bare Node.js start.
  const floor = median(rows[0]!.samples);
  const table = rows.map((row) => [
    row.what,
    row.samples.length ? show(median(row.samples), row.unit) : 'n/a',
    row.samples.length && row.unit === 'ms' ? `${(median(row.samples) / floor).toFixed(1)}×` : '',
    row.samples.length ? `${show(Math.min(...row.samples), row.unit)} – ${show(Math.max(...row.samples), row.unit)}` : '',
    row.target ?? '',
    row.load === undefined ? '' : row.load.toFixed(2),
  ]);
  const header = ['measured', 'median', '× node -e 0', 'range', 'target', 'load'];
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((cells) => cells[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const notes = rows.filter((row) => row.note).map((row) => `- ${row.what}: ${row.note}`);
  return [
    `Medians of ${runs} runs after a warm-up, on ${availableParallelism()} cores with Node.js ${process.version}; ` +
      `load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end, and in the last column after each row ` +
      '(other programs running slow everything down).',
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...table.map(line),
    ...(notes.length ? ['', 'Notes:', ...notes] : []),
  ].join('\n');
}

function progress(stage: string): void {
  process.stderr.write(`bench: measuring ${stage}…\n`);
}

/** What went wrong in a run's output: its first failed check and the line that says why, else its last line. */
function whatFailed(text: string): string {
  const lines = text.trim().split('\n');
  const failed = lines.findIndex((line) => line.trim().startsWith('✗'));
  return failed >= 0 ? `${lines[failed]!.trim()}: ${lines[failed + 1]?.trim() ?? ''}` : (lines.at(-1) ?? '');
}

function readIfPresent(file: string): string {
  try {
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  } catch {
    return '';
  }
}

await main();
