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

/**
 * Starts the learner's server the way every server lesson does: on a free loopback port given
 * in PORT, ready once that port accepts a connection. On failure the program is stopped and
 * the CheckFailure explains why (stopped early, wrong port, never listened).
 */
export async function startLearnerServer(
  source: ProgramSource,
  options: { cwd: string; transcript: Transcript; env?: Record<string, string>; signal?: AbortSignal },
): Promise<LearnerServer> {
  const port = await allocatePort();
  const program = RunningProgram.start(source, { env: { PORT: String(port), ...options.env }, cwd: options.cwd, label: 'server' });
  program.transcript = options.transcript;
  const stop = async () => {
    await program.stop();
    releasePort(port);
  };
  try {
    const host = await waitUntilListening(program, port, options.signal);
    return { program, port, host, stop };
  } catch (failure) {
    await stop();
    throw failure;
  }
}
