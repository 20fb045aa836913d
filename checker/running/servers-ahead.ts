import { existsSync } from 'node:fs';
import type { Environment, ProgramSource } from '../process/program.ts';
import type { LessonDefinition } from './lesson-definition.ts';
import { PendingServer, runsSource } from './pending-server.ts';

/**
 * The learner's servers started ahead of their lessons' turn: before the lessons' checks are
 * loaded (and most of the checker with them), so that starting the program overlaps the rest.
 * This is their one owner: it starts them, decides which lesson may take which, and stops
 * those nobody takes.
 */
export class ServersAhead {
  private readonly waiting = new Map<string, PendingServer>();

  /**
   * Starts `source`, the program for the lesson in `folder`, before the lesson's checks are
   * loaded, with the environment the lesson keeps apart from them (lessons.ts, loadServerEnvironment).
   */
  start(folder: string, source: ProgramSource, env: Environment): PendingServer {
    const server = new PendingServer(source, { env });
    this.waiting.set(folder, server);
    return server;
  }

  /**
   * The server for the lesson in `folder`, defined by `definition`, checking `source`: the one
   * started for it when it runs that very program in the lesson's environment, else a new one.
   * Undefined for a lesson whose server cannot start before its turn: not a server lesson, a
   * file that does not exist, or one that needs its Redis running first (whose address comes with it).
   */
  take(folder: string, definition: LessonDefinition, source: ProgramSource): PendingServer | undefined {
    if (definition.kind !== 'server' || definition.redis || (source.kind === 'file' && !existsSync(source.file))) return undefined;
    const started = this.waiting.get(folder);
    if (started && runsSource(started, source, definition.env)) {
      this.waiting.delete(folder);
      return started;
    }
    return new PendingServer(source, { env: definition.env });
  }

  /** Stops the servers nobody took. */
  async stopRest(): Promise<void> {
    const rest = [...this.waiting.values()];
    this.waiting.clear();
    await Promise.all(rest.map((server) => server.stop()));
  }
}
