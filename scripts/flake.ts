/**
 * The flake test: runs the whole solution check (`check --solutions --json`, every lesson)
 * N times in a row while every core is kept busy by busy-loop processes, and requires the same
 * verdict for every check in every run. Reference solutions must pass, so a check that fails
 * in every run is reported too. Exits 0 when all is well, 1 otherwise.
 *
 *   npm run flake            20 runs
 *   npm run flake -- 5       5 runs
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { projectRoot } from '../checker/core/paths.ts';
import type { Report } from '../checker/running/results.ts';

interface Run {
  /** "01-echo replies" → "passed" */
  verdicts: Map<string, string>;
  /** The first message of each check that did not pass. */
  messages: Map<string, string>;
  seconds: number;
}

const DEFAULT_RUNS = 20;

function parseRuns(): number {
  const { positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, strict: true });
  const runs = Number(positionals[0] ?? DEFAULT_RUNS);
  if (!Number.isInteger(runs) || runs < 2) {
    console.error(`flake: the number of runs must be a whole number of at least 2, like: npm run flake -- 20`);
    process.exit(2);
  }
  return runs;
}

/**
 * One busy loop per core, so the checks run on a machine with no idle time at all. Each loop
 * also ends by itself once this script is gone (killed, say), so none is ever left spinning.
 */
function startBusyLoops(count: number): ChildProcess[] {
  const loop = `for (let i = 1; ; i++) if (i % 5e7 === 0) { try { process.kill(${process.pid}, 0); } catch { process.exit(); } }`;
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', loop], { stdio: 'ignore' }));
}

function checkSolutions(): Promise<Run> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'checker/cli.ts', 'check', '--solutions', '--json'], {
    cwd: projectRoot,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => {
      let report: Report;
      try {
        report = JSON.parse(stdout) as Report;
      } catch {
        reject(new Error(`check --solutions exited with status ${status} and no JSON report. ${stderr.trim()}`));
        return;
      }
      const verdicts = new Map<string, string>();
      const messages = new Map<string, string>();
      for (const lesson of report.lessons) {
        for (const check of lesson.checks) {
          const key = `${lesson.id}-${lesson.slug} ${check.id}`;
          verdicts.set(key, check.status);
          if (check.status !== 'passed') messages.set(key, check.message);
        }
      }
      resolve({ verdicts, messages, seconds: (performance.now() - startedAt) / 1000 });
    });
  });
}

function tally(verdicts: Map<string, string>): string {
  const counts = new Map<string, number>();
  for (const status of verdicts.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
}

async function main(): Promise<number> {
  const total = parseRuns();
  const cores = availableParallelism();
  const hogs = startBusyLoops(cores);
  const stopHogs = () => {
    for (const hog of hogs) hog.kill('SIGKILL');
  };
  process.on('exit', stopHogs);
  process.once('SIGINT', () => process.exit(130));
  console.log(`Checking the reference solutions ${total} times, with ${cores} busy loops keeping every core busy.`);

  const runs: Run[] = [];
  let broken = 0;
  const startedAt = performance.now();
  try {
    for (let i = 1; i <= total; i++) {
      const label = `run ${String(i).padStart(2)}/${total}:`;
      try {
        const run = await checkSolutions();
        runs.push(run);
        console.log(`${label} ${run.seconds.toFixed(1)} s, ${tally(run.verdicts)}`);
      } catch (error) {
        broken++;
        console.log(`${label} BROKEN: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    stopHogs();
  }
  if (runs.length === 0) {
    console.log('No run produced a report.');
    return 1;
  }

  const keys = [...new Set(runs.flatMap((run) => [...run.verdicts.keys()]))].sort();
  const differing = keys.filter((key) => new Set(runs.map((run) => run.verdicts.get(key) ?? 'missing')).size > 1);
  const neverPassed = keys.filter((key) => !differing.includes(key) && runs[0]!.verdicts.get(key) === 'failed');
  for (const key of differing) {
    console.log(`\nDIFFERENT VERDICTS for ${key}: ${runs.map((run) => run.verdicts.get(key) ?? 'missing').join(' ')}`);
    const message = runs.map((run) => run.messages.get(key)).find(Boolean);
    if (message) console.log(`  for example: ${message}`);
  }
  for (const key of neverPassed) console.log(`\nFAILED IN EVERY RUN: ${key}: ${runs[0]!.messages.get(key)}`);

  const seconds = runs.map((run) => run.seconds).sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)]!;
  console.log(
    `\n${runs.length} runs of ${keys.length} checks in ${((performance.now() - startedAt) / 1000).toFixed(0)} s ` +
      `(median ${median.toFixed(1)} s, slowest ${seconds.at(-1)!.toFixed(1)} s per run).`,
  );
  const ok = differing.length === 0 && neverPassed.length === 0 && broken === 0;
  console.log(
    ok
      ? 'Every check had the same verdict in every run.'
      : `${differing.length} checks changed verdict; ${neverPassed.length} failed in every run; ${broken} runs gave no report.`,
  );
  return ok ? 0 : 1;
}

process.exitCode = await main();
