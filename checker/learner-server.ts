import { allocatePort, releasePort } from './ports.ts';
import { RunningProgram, type ProgramSource } from './program.ts';
import { waitUntilListening, type LoopbackHost } from './readiness.ts';
import type { Transcript } from './transcript.ts';

/** A learner's server that has started and is accepting connections. */
export interface LearnerServer {
  program: RunningProgram;
  port: number;
  host: LoopbackHost;
  stop(): Promise<void>;
}

export interface StartOptions {
  cwd: string;
  transcript: Transcript;
  env?: Record<string, string>;
  /** Aborting stops the program at once, even before it listens (a server started ahead and not needed). */
  signal?: AbortSignal;
}

/**
 * Starts the learner's server the way every server lesson does: on a free loopback port given
 * in PORT, ready once that port accepts a connection. On failure the program is stopped and
 * the CheckFailure explains why (stopped early, wrong port, never listened).
 */
export async function startLearnerServer(source: ProgramSource, options: StartOptions): Promise<LearnerServer> {
  const port = await allocatePort();
  if (options.signal?.aborted) {
    releasePort(port);
    throw new Error('The server was no longer needed.');
  }
  const program = RunningProgram.start(source, { env: { PORT: String(port), ...options.env }, cwd: options.cwd, label: 'server' });
  program.transcript = options.transcript;
  let stopped: Promise<void> | undefined;
  // Idempotent: a server may be stopped by the check that used it and again by the lesson's end.
  const stop = () => (stopped ??= program.stop().then(() => releasePort(port)));
  // Stopping the program ends the readiness wait below: it reports the program as stopped.
  const abort = () => void program.stop();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const host = await waitUntilListening(program, port);
    return { program, port, host, stop };
  } catch (failure) {
    await stop();
    throw failure;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}
