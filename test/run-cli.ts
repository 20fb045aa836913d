import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../checker/core/paths.ts';

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time from start to exit. */
  ms: number;
}

export interface StartedCli {
  child: ChildProcess;
  /** What it has printed to standard output so far. */
  stdoutSoFar: () => string;
  done: Promise<CliRun>;
}

/**
 * Starts a workbook command as a user runs it (start.mjs, as the npm scripts do),
 * without a terminal, like runCommand in helpers.ts but without blocking this process, so
 * concurrent tests keep running and a test can signal the command while it runs.
 */
export function startCli(args: string[], options: { env?: Record<string, string>; preload?: string[]; cwd?: string; typing?: boolean } = {}): StartedCli {
  const imports = (options.preload ?? []).flatMap((module) => ['--import', module]);
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...imports, 'checker/start.mjs', ...args], {
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, NO_COLOR: '1', CI: '1', ...options.env },
    // With `typing`, the test writes to its standard input (child.stdin), as a person types.
    stdio: [options.typing ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr, ms: performance.now() - startedAt }));
  });
  return { child, stdoutSoFar: () => stdout, done };
}

export function runCli(args: string[], options: { env?: Record<string, string>; preload?: string[] } = {}): Promise<CliRun> {
  return startCli(args, options).done;
}
