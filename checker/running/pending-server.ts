import { startLearnerServer, type LearnerServer } from './learner-server.ts';
import { RunningProgram, type Environment, type ProgramSource } from '../process/program.ts';
import { Transcript } from '../core/transcript.ts';

/**
 * A learner's server started ahead of the check that will use it. A new process takes about
 * a tenth of a second to start (the first start of a changed file also compiles it); started
 * early, that time overlaps with the check before it (or with the checker's own start) instead
 * of adding to it. The server is still a fresh process that nothing has talked to when the
 * check takes it.
 */
export class PendingServer {
  /** The transcript of the check that takes this server: its start is part of that check. */
  readonly transcript = new Transcript();
  readonly startedAt = performance.now();
  /** Resolves once the server accepts connections; rejects with the CheckFailure saying why not. */
  readonly ready: Promise<LearnerServer>;
  private readonly abort = new AbortController();

  /** The environment it was started with, besides PORT. */
  readonly env: Environment;
  /** The folder it was started in. */
  readonly cwd: string;

  constructor(
    readonly source: ProgramSource,
    options: { cwd?: string; env?: Environment; label?: string } = {},
  ) {
    this.env = options.env ?? {};
    const cwd = options.cwd ?? RunningProgram.cwdFor(source, process.cwd());
    this.cwd = cwd;
    this.ready = startLearnerServer(source, { cwd, env: this.env, transcript: this.transcript, signal: this.abort.signal, label: options.label });
    // Whoever takes the server sees a failure; one nobody takes must not be an unhandled rejection.
    this.ready.catch(() => {});
  }

  /** Waits until the server accepts connections; `signal` aborting (its check ran out of time) stops it. */
  async whenReady(signal: AbortSignal): Promise<LearnerServer> {
    const abandon = () => void this.stop();
    signal.addEventListener('abort', abandon);
    try {
      return await this.ready;
    } finally {
      signal.removeEventListener('abort', abandon);
    }
  }

  /** Stops the server, whether it is still starting, ready, or in use. Resolves when it is gone. */
  async stop(): Promise<void> {
    this.abort.abort();
    const server = await this.ready.catch(() => undefined);
    await server?.stop();
  }
}

/** Whether `pending` runs the program `source` names, with the environment `env` (so a check may take it). */
export function runsSource(pending: PendingServer, source: ProgramSource, env: Environment = {}): boolean {
  const a = pending.source;
  const sameProgram =
    a.kind === 'file' && source.kind === 'file' ? a.file === source.file : a.kind === 'command' && source.kind === 'command' && a.command === source.command;
  return sameProgram && sameEnvironment(pending.env, env);
}

function sameEnvironment(a: Environment, b: Environment): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
