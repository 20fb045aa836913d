import type { Transcript } from '../core/transcript.ts';
import type { Environment, ProgramSource } from '../process/program.ts';
import { startLearnerServer, type LearnerServer } from './learner-server.ts';
import { PendingServer } from './pending-server.ts';

/** How the transcript names the instance numbered `index` (from 0): "server A", "server B"… */
export function instanceName(index: number): string {
  return `server ${String.fromCharCode(65 + index)}`;
}

/**
 * The runs of the learner's server that a lesson's checks share: the lesson's server, and in a
 * lesson of several `instances` the others ("server B"…). Those start once the lesson's server
 * listens, beside the first checks, which need none of them; the first check that asks for
 * them waits until they listen. A run that stopped (a check stopped it on purpose, or it
 * crashed) is started again when the next check asks for it, so checks stay independent.
 */
export class LessonServers {
  /** Each run once a check has taken it, or the run that replaced it. */
  private readonly taken: (LearnerServer | undefined)[] = [];
  /** The runs started and not taken yet, by number. */
  private readonly starting = new Map<number, PendingServer>();

  constructor(
    /** The lesson's server, starting: the lesson's first check is its start. */
    readonly first: PendingServer,
    /** How many runs the checks share. */
    readonly count: number,
    private readonly how: { source: ProgramSource; cwd: string; env: Environment },
  ) {
    this.starting.set(0, first);
  }

  /** How run `index` is named in the transcript; only when there are several. */
  label(index: number): string | undefined {
    return this.count > 1 ? instanceName(index) : undefined;
  }

  /**
   * Waits until the lesson's server listens (the lesson's first check, which `first` is
   * timed and transcribed for), then starts the others. Rejects as the start of the lesson's server does.
   */
  async whenListening(signal: AbortSignal): Promise<void> {
    await this.starting.get(0)!.whenReady(signal);
    for (let index = 1; index < this.count; index++) {
      this.starting.set(index, new PendingServer(this.how.source, { cwd: this.how.cwd, env: this.how.env, label: this.label(index) }));
    }
  }

  /** Run `index`, listening, started again if it stopped; its output goes to `transcript` from now on. */
  async take(index: number, transcript: Transcript, signal: AbortSignal): Promise<LearnerServer> {
    const pending = this.starting.get(index);
    if (pending) {
      this.starting.delete(index);
      this.taken[index] = await pending.whenReady(signal);
    }
    let server = this.taken[index];
    if (!server?.program.running) {
      await server?.stop();
      this.taken[index] = undefined;
      server = await startLearnerServer(this.how.source, { ...this.how, transcript, signal, label: this.label(index) });
      this.taken[index] = server;
    }
    server.program.transcript = transcript;
    return server;
  }

  /** Every run: the lesson's server first. */
  takeAll(transcript: Transcript, signal: AbortSignal): Promise<LearnerServer[]> {
    return Promise.all(Array.from({ length: this.count }, (_, index) => this.take(index, transcript, signal)));
  }

  /** Stops every run, started, taken or still starting; resolves when all are gone. */
  async stop(): Promise<void> {
    const starting = [...this.starting.values()];
    this.starting.clear();
    await Promise.all([...starting.map((server) => server.stop()), ...this.taken.map((server) => server?.stop())]);
  }
}
