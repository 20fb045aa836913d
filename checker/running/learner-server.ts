import { allocatePort, portTaken, releasePort } from '../process/ports.ts';
import { prepareProgram, RunningProgram, type Environment, type ProgramSource } from '../process/program.ts';
import { PortTakenFailure, waitUntilListening, type LoopbackHost } from '../process/readiness.ts';
import type { Transcript } from '../core/transcript.ts';

/** A learner's server that has started and is accepting connections. */
export interface LearnerServer {
  program: RunningProgram;
  port: number;
  host: LoopbackHost;
  stop(): Promise<void>;
}

/** How many times a start is tried when another program took the port first. */
const PORT_TRIES = 3;

/**
 * Starts the learner's server the way every server lesson does: on a free loopback port given
 * in PORT, ready once that port accepts a connection. On failure the program is stopped and
 * the CheckFailure explains why (stopped early, wrong port, never listened).
 *
 * A port is free when it is handed out, but another program on the machine (another checker
 * running tests in parallel, say) can bind it before the learner's program does. That is no
 * mistake of the learner's, so the start is tried again on another port: when another
 * program was seen listening there, or the program stopped with EADDRINUSE and the port is
 * still taken after it has gone. (A program that listened twice itself leaves the port free
 * when it exits, and that is reported.)
 */
export async function startLearnerServer(
  source: ProgramSource,
  options: { cwd: string; transcript: Transcript; env?: Environment; signal?: AbortSignal; label?: string },
): Promise<LearnerServer> {
  const startable = await prepareProgram(source);
  for (let attempt = 1; ; attempt++) {
    const port = await allocatePort();
    const program = RunningProgram.start(startable, { env: { PORT: String(port), ...options.env }, cwd: options.cwd, label: options.label ?? 'server' });
    program.transcript = options.transcript;
    const stop = async () => {
      await program.stop();
      releasePort(port);
    };
    try {
      const host = await waitUntilListening(program, port, options.signal);
      return { program, port, host, stop };
    } catch (failure) {
      await program.stop();
      const takenByAnother = failure instanceof PortTakenFailure || (/EADDRINUSE/.test(program.stderr.text()) && (await portTaken(port)));
      releasePort(port);
      if (!takenByAnother || attempt === PORT_TRIES) throw failure;
      options.transcript.add('checker', 'note', `port ${port} was taken by another program on this machine; starting your server again on another port`);
    }
  }
}
