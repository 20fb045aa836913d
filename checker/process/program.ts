import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { trackGroup, untrackGroup } from './cleanup.ts';
import { deadline, scaled, seconds, settlesWithin, withDeadline } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import { explainCrash } from '../core/explanations.ts';
import { clipLines, describeSize } from '../core/text-bounds.ts';
import { OutputCapture } from './output-capture.ts';
import { CompileError } from './bundle.ts';
import { compileProgram, type CompiledProgram } from './compile.ts';
import { groupAlive, groupExiting, signalGroup, stopGroup, waitUntilGone } from './process-group.ts';
import type { Transcript } from '../core/transcript.ts';

/** What plays the learner's part: a TypeScript file, or any shell command (`--server "python3 echo.py"`). */
export type ProgramSource = { kind: 'file'; file: string } | { kind: 'command'; command: string };

/**
 * A program ready to start at once: a command, run as given, or a TypeScript file compiled
 * ahead and run with plain `node` in the same Node.js that runs the checker (process/compile.ts).
 */
export type StartableProgram = CompiledProgram | { kind: 'command'; command: string };

/** Compiles a file source; a program that does not compile fails the check with the compiler's code frames. */
export async function prepareProgram(source: ProgramSource): Promise<StartableProgram> {
  if (source.kind === 'command') return source;
  try {
    return await compileProgram(source.file);
  } catch (error) {
    if (error instanceof CompileError) throw new CheckFailure(`Your program does not compile, so it could not start:\n${error.problems.join('\n')}`);
    throw error;
  }
}

/**
 * Environment variables for the learner's program, on top of the PORT (or WS_URL) every run
 * gets: a lesson's tunables, such as a short HEARTBEAT_MS, so that its checks take a second.
 */
export type Environment = Readonly<Record<string, string>>;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const MAX_KEPT_LINES = 2_000;
/** How long, after the program exits, its output may take to arrive. */
const OUTPUT_DRAIN_MS = 300;

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/**
 * A learner's program running as a real child process, in its own process group, with its
 * output captured (bounded) and copied into the transcript of the check that is running.
 */
export class RunningProgram {
  readonly pid: number;
  readonly stdout: OutputCapture;
  readonly stderr: OutputCapture;
  /** Resolves when the program's main process exits. Never rejects. */
  readonly exited: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  /** The transcript that output lines go to; the lesson runner points it at the current check. */
  transcript: Transcript | undefined;
  /** How this program is named in transcripts and messages. */
  readonly label: string;

  private readonly child: ChildProcess;
  private readonly keptLines: OutputLine[] = [];
  private lineWaiters = new Set<() => void>();

  private constructor(
    child: ChildProcess,
    label: string,
    /** What was started, and the folder it was started in (for checks that read the program's files). */
    readonly source: ProgramSource,
    readonly cwd: string,
  ) {
    this.child = child;
    this.label = label;
    // No pid means the spawn itself failed ('error' follows); there is no group to track.
    this.pid = child.pid ?? -1;
    if (child.pid !== undefined) trackGroup(this.pid);
    this.stdout = new OutputCapture(child.stdout!, (line, chars) => this.onLine('stdout', line, chars));
    this.stderr = new OutputCapture(child.stderr!, (line, chars) => this.onLine('stderr', line, chars));
    // Writing to a program that has exited must not crash the checker.
    child.stdin!.on('error', () => {});
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        // What the program printed just before it exited can still be in the pipes. Read it
        // first, so that whoever learns of the exit also sees all of the output (bounded: a
        // grandchild may hold the pipes open).
        const output = Promise.all([this.stdout.closed, this.stderr.closed]);
        void withDeadline(output, scaled(OUTPUT_DRAIN_MS), () => new Error('output still open'))
          .catch(() => {})
          .then(() => {
            this.exitInfo = { code, signal };
            this.transcript?.add(this.label, 'note', `exited ${describeExit(this.exitInfo)}`);
            this.notifyLineWaiters();
            resolve(this.exitInfo);
          });
      });
      child.once('error', () => {
        this.exitInfo ??= { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
  }

  /** Called with every line the program prints (the demo shows them to the learner). */
  onOutput: ((line: OutputLine) => void) | undefined;

  static start(program: StartableProgram, options: { env: Environment; cwd: string; label?: string }): RunningProgram {
    const [command, args] = program.kind === 'compiled' ? [process.execPath, ['--enable-source-maps', program.script]] : ['/bin/sh', ['-c', program.command]];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const source: ProgramSource = program.kind === 'compiled' ? { kind: 'file', file: program.file } : program;
    return new RunningProgram(child, options.label ?? 'program', source, options.cwd);
  }

  static cwdFor(source: ProgramSource, fallback: string): string {
    return source.kind === 'file' ? path.dirname(path.resolve(source.file)) : fallback;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Types a line on the program's standard input. */
  writeLine(line: string): void {
    this.writeLines([line]);
  }

  /** Writes lines on the program's standard input in one write, as a paste or a pipe delivers them: one chunk. */
  writeLines(lines: string[]): void {
    for (const line of lines) this.transcript?.add(this.label, 'stdin', line);
    if (lines.length > 1) this.transcript?.add(this.label, 'note', `the ${lines.length} lines above arrive in one chunk`);
    this.child.stdin!.write(lines.map((line) => `${line}\n`).join(''));
  }

  /** Ends the program's standard input (Ctrl-D in a terminal). */
  endInput(): void {
    this.transcript?.add(this.label, 'note', 'standard input closed (end of input)');
    this.child.stdin!.end();
  }

  /** Lines printed so far (the first MAX_KEPT_LINES of them). */
  lines(stream?: OutputLine['stream']): OutputLine[] {
    return stream ? this.keptLines.filter((line) => line.stream === stream) : [...this.keptLines];
  }

  /**
   * Waits for a printed line that satisfies `test`, looking at lines from index `from` on.
   * Fails if the program exits first, or after the deadline.
   */
  async waitForLine(test: (line: OutputLine) => boolean, description: string, options: { from?: number; ms?: number } = {}): Promise<OutputLine> {
    const ms = options.ms ?? deadline('reply');
    const find = () => this.keptLines.slice(options.from ?? 0).find(test);
    let look = () => {};
    const found = new Promise<OutputLine>((resolve, reject) => {
      look = () => {
        const line = find();
        if (line) {
          this.lineWaiters.delete(look);
          resolve(line);
        } else if (!this.running) {
          this.lineWaiters.delete(look);
          reject(
            new CheckFailure(`Your program exited (${describeExit(this.exitInfo!)}) without printing ${description}.`, {
              expected: description,
              received: this.outputSummary(),
            }),
          );
        }
      };
      this.lineWaiters.add(look);
      look();
    });
    return withDeadline(found, ms, () => {
      return new CheckFailure(`Your program did not print ${description} within ${seconds(ms)}.`, {
        expected: description,
        received: this.outputSummary(),
      });
    }).finally(() => this.lineWaiters.delete(look));
  }

  /** Waits for the program to exit by itself, failing after the deadline. */
  async waitForExit(ms = deadline('close'), what = 'Your program should exit by itself'): Promise<ExitInfo> {
    return withDeadline(
      this.exited,
      ms,
      () =>
        new CheckFailure(`${what}, but it was still running after ${seconds(ms)}.`, {
          explanation:
            'Something is keeping Node.js alive: an open connection, a timer, or standard input still being read. ' +
            'Close the WebSocket (and the readline interface, if you use one) when you are done.',
        }),
    );
  }

  /**
   * For a connection to the program that ended abnormally: the usual reason is that the
   * program is dying, and its exit event comes a moment after the connection's end. Waits for
   * that event when the kernel shows the program exiting; only briefly otherwise, since a
   * program that is not exiting has most likely not crashed.
   */
  async settleIfExiting(): Promise<void> {
    if (!this.running) return;
    const ms = groupExiting(this.pid) ? deadline('close') : scaled(300);
    await settlesWithin(this.exited, ms);
  }

  /**
   * Once the program has exited: the failure that says so ("your server stopped ... while alice
   * was connected"), with its output and the mistake its error names, else `fallback`.
   * Undefined while it runs.
   */
  stoppedFailure(during: string, fallback?: string): CheckFailure | undefined {
    if (this.running || !this.exitInfo) return undefined;
    return new CheckFailure(`Your ${this.label} stopped (it exited ${describeExit(this.exitInfo)}) ${during}.`, {
      received: this.outputSummary(),
      explanation: explainCrash(this.stderr.text()) ?? fallback,
    });
  }

  /** A short account of what the program printed, for failure messages. */
  outputSummary(): string {
    const out = clipLines(this.stdout.tail(6));
    const err = clipLines(errorExcerpt(this.stderr.text()));
    const parts = [];
    if (out) parts.push(`${streamHeading('stdout', this.stdout, out)}:\n${indent(out)}`);
    if (err) parts.push(`${streamHeading('stderr', this.stderr, err)}:\n${indent(err)}`);
    return parts.length > 0 ? parts.join('\n') : 'no output at all';
  }

  /**
   * Waits up to `ms` for every process of the program to be gone, a shell that ran it included;
   * true when none is left. How a check sees a program end by itself after a signal, whatever
   * wraps it (a shell, npx, tsx), since the signal reaches the wrappers too.
   */
  allGone(ms: number): Promise<boolean> {
    return waitUntilGone(this.pid, ms);
  }

  /** Sends `signal` to the program and everything it started, and returns at once. */
  signal(signal: NodeJS.Signals): void {
    this.transcript?.add(this.label, 'note', `sent ${signal}`);
    signalGroup(this.pid, signal);
  }

  /** Stops the program and everything it started. Resolves when no process of it is left. */
  async stop(): Promise<void> {
    await stopGroup(this.pid, deadline('killGrace'));
    if (this.running) await settlesWithin(this.exited, deadline('killGrace'));
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    if (!groupAlive(this.pid)) untrackGroup(this.pid);
  }

  private onLine(stream: OutputLine['stream'], text: string, chars: number): void {
    this.transcript?.add(this.label, stream, text, chars);
    this.onOutput?.({ stream, text });
    if (this.keptLines.length < MAX_KEPT_LINES) this.keptLines.push({ stream, text });
    this.notifyLineWaiters();
  }

  private notifyLineWaiters(): void {
    for (const waiter of [...this.lineWaiters]) waiter();
  }
}

/**
 * The useful part of an error output: the line naming the error and where it happened
 * (a Node.js stack is mostly the runtime's and the packages' frames: the learner's come
 * first), or else the last lines.
 */
function errorExcerpt(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  const at = lines.findIndex((line) => /^\s*(?:Uncaught\s+)?[A-Za-z]*(?:Error|Exception)\b.*:/.test(line) || /^\s*\w*Error \[/.test(line));
  if (at === -1) return lines.slice(-8).join('\n');
  // Before the error, Node.js shows the file and line that threw, the line itself and a caret.
  const context = lines
    .slice(0, at)
    .filter((line) => line.trim() !== '')
    .slice(-4);
  const ownFrames = lines
    .slice(at + 1)
    .filter((line) => /^\s+at /.test(line) && !/\(node:|^\s+at node:|node_modules/.test(line))
    .slice(0, 3);
  return [...context, lines[at]!, ...ownFrames].join('\n');
}

/** "stdout", or when the excerpt is a small part of all that was printed, "stdout (the end of 3.4 MB)". */
function streamHeading(name: string, capture: OutputCapture, excerpt: string): string {
  return capture.totalBytes > 2 * excerpt.length + 1_000 ? `${name} (the end of ${describeSize(capture.totalBytes)})` : name;
}

export function describeExit(info: ExitInfo): string {
  if (info.signal) return `killed by ${info.signal}`;
  return `with status ${info.code}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
