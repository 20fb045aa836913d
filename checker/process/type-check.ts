import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { deadline, seconds, withDeadline } from '../core/deadlines.ts';
import { projectRoot } from '../core/paths.ts';
import { trackGroup, untrackGroup } from './cleanup.ts';
import { stopGroup } from './process-group.ts';

/**
 * Type-checks learners' files with TypeScript's native compiler (the `typescript` package's
 * 7.x line: one file in about a tenth of a second), in a child process of its own, so it runs
 * beside the behaviour checks instead of before them.
 */

/**
 * The options a learner's file is checked with: strict, as the workbook's own code is, with
 * the module settings Node.js runs it with; unused variables are no error (a learner's
 * half-finished file has them). Given on the command line: the workbook's tsconfig.json is for
 * its own code.
 */
const LEARNER_OPTIONS = [
  '--ignoreConfig',
  '--noEmit',
  '--pretty',
  'false',
  '--strict',
  '--noUnusedLocals',
  'false',
  '--noUnusedParameters',
  'false',
  '--noFallthroughCasesInSwitch',
  '--target',
  'es2022',
  '--lib',
  'es2023',
  '--module',
  'nodenext',
  '--moduleResolution',
  'nodenext',
  // Every file is a module of its own, so that files checked together cannot clash.
  '--moduleDetection',
  'force',
  '--types',
  'node',
  '--allowImportingTsExtensions',
  '--esModuleInterop',
  '--skipLibCheck',
  // One thread: as fast on two cores for these few files, and about a fifth less processor time,
  // which the learner's programs and the checks share with it.
  '--singleThreaded',
];

/** A nice value: the compiler runs when the checks leave a core free. */
const LOWER_PRIORITY = 10;
/** Type errors kept (with their text) per file; the rest are counted. */
const KEPT_PER_FILE = 5;
/** One error's text (a message and its elaboration), at most. */
const ERROR_CHARS = 2_000;

export interface TypeScriptError {
  /** Absolute path, or undefined for an error about no file in particular. */
  file: string | undefined;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** TypeScript's error code: 2322 for TS2322. */
  code: number;
  message: string;
}

export type TypeCheckOutcome =
  /** `roots`: the files asked about; `errors`: the first of each file, with their text; `counts`: how many each file has. */
  (
    | { kind: 'checked'; roots: string[]; errors: TypeScriptError[]; counts: Map<string | undefined, number> }
    /** The compiler could not check (not installed for this machine, or it failed): no verdict. */
    | { kind: 'not-checked'; reason: string }
  ) & { durationMs?: number };

/** Type-checks `files` (absolute paths) together, in one run of the compiler. */
export async function typeCheck(files: string[]): Promise<TypeCheckOutcome> {
  const startedAt = performance.now();
  const outcome = await runCompiler(files);
  return { ...outcome, durationMs: Math.round(performance.now() - startedAt) };
}

async function runCompiler(files: string[]): Promise<TypeCheckOutcome> {
  const compiler = nativeCompiler();
  if (typeof compiler !== 'string') return compiler;
  const child = spawn(compiler, [...LEARNER_OPTIONS, ...files], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the checker's clean-up stops it whatever happens.
    detached: true,
  });
  if (child.pid !== undefined) {
    trackGroup(child.pid);
    yieldToChecks(child.pid);
  }
  const reader = new DiagnosticReader();
  const decoder = new StringDecoder('utf8');
  child.stdout.on('data', (chunk: Buffer) => reader.push(decoder.write(chunk)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
  const ended = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (status) => resolve(status));
  });
  const ms = deadline('typeCheck');
  try {
    const status = await withDeadline(ended, ms, () => new Error('timed out'));
    reader.push(`${decoder.end()}\n`);
    if (status === 0 || (status !== null && reader.counts.size > 0)) return { kind: 'checked', roots: files, errors: reader.errors, counts: reader.counts };
    return { kind: 'not-checked', reason: `TypeScript's compiler stopped without a verdict (${stderr.trim() || `exit status ${status}`}).` };
  } catch {
    return { kind: 'not-checked', reason: `TypeScript's compiler did not finish within ${seconds(ms)} (is the machine very busy?).` };
  } finally {
    if (child.pid !== undefined) {
      await stopGroup(child.pid, deadline('killGrace'));
      untrackGroup(child.pid);
    }
  }
}

/**
 * Lowers the compiler's priority: on a busy machine, the learner's program and the checks,
 * which wait under deadlines of a second or two, come first; the type check has ten seconds.
 * On a machine with a core to spare it changes nothing.
 */
function yieldToChecks(pid: number): void {
  try {
    setPriority(pid, LOWER_PRIORITY);
  } catch {
    // Not allowed here, or the compiler has finished already: it runs at the usual priority.
  }
}

/**
 * The native compiler's executable, from the platform package that `typescript` installs for
 * this machine (what its own `tsc` script starts, without a Node.js process in between).
 */
function nativeCompiler(): string | Extract<TypeCheckOutcome, { kind: 'not-checked' }> {
  const platformPackage = `@typescript/typescript-${process.platform}-${process.arch}`;
  try {
    const typescript = createRequire(import.meta.url).resolve('typescript/package.json');
    const manifest = createRequire(typescript).resolve(`${platformPackage}/package.json`);
    return path.join(path.dirname(manifest), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc');
  } catch {
    return { kind: 'not-checked', reason: `TypeScript's native compiler (${platformPackage}) is not installed. Run npm install.` };
  }
}

/** `file(line,column): error TS2322: message`, then indented lines that elaborate. */
const ERROR_LINE = /^(?:(.+)\((\d+),(\d+)\): )?error TS(\d+): (.*)$/;

/** Reads the compiler's plain output as it arrives, keeping the first errors of each file and counting all. */
class DiagnosticReader {
  readonly errors: TypeScriptError[] = [];
  readonly counts = new Map<string | undefined, number>();
  private partial = '';
  private lastKept = false;

  push(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.read(line.replace(/\r$/, ''));
  }

  private read(line: string): void {
    const match = ERROR_LINE.exec(line);
    if (match) {
      const [, relative, lineNumber, column, code, message] = match;
      const file = relative === undefined ? undefined : path.resolve(projectRoot, relative);
      this.counts.set(file, (this.counts.get(file) ?? 0) + 1);
      this.lastKept = this.counts.get(file)! <= KEPT_PER_FILE;
      if (this.lastKept) {
        this.errors.push({
          file,
          line: Number(lineNumber ?? 0),
          column: Number(column ?? 0),
          code: Number(code),
          message: message!,
        });
      }
    } else if (this.lastKept && /^\s/.test(line)) {
      const error = this.errors.at(-1)!;
      if (error.message.length < ERROR_CHARS) error.message += `\n${line}`;
    }
  }
}
