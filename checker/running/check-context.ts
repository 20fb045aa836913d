import { CheckFailure } from '../core/errors.ts';
import { MemoryWatch } from '../process/memory.ts';
import { allocatePort, releasePort } from '../process/ports.ts';
import { RunningProgram, type Environment, type ProgramSource } from '../process/program.ts';
import type { LoopbackHost } from '../process/readiness.ts';
import { ScriptedClient } from '../peers/scripted-client.ts';
import { ScriptedServer } from '../peers/scripted-server.ts';
import type { Transcript } from '../core/transcript.ts';
import type { ClientOptions } from 'ws';

/**
 * What a check of a server lesson works with: the learner's running server, and scripted
 * clients to connect to it. Everything a check opens is closed when the check ends.
 */
export class ServerCheckContext {
  private readonly clients: ScriptedClient[] = [];
  private disposed = false;

  constructor(
    /** The learner's server process: its output, its standard input, whether it still runs. */
    readonly server: RunningProgram,
    readonly port: number,
    /** The loopback address the server answered on. */
    readonly host: LoopbackHost,
    readonly transcript: Transcript,
  ) {}

  /** The WebSocket address of the learner's server. */
  get url(): string {
    return `ws://${this.hostInUrl}:${this.port}`;
  }

  /** The HTTP address of the learner's server (for lessons that serve pages too). */
  get httpUrl(): string {
    return `http://${this.hostInUrl}:${this.port}`;
  }

  private get hostInUrl(): string {
    return this.host === '::1' ? '[::1]' : this.host;
  }

  /** Opens a scripted client named `name` (as it appears in the transcript). */
  connect(name: string, options: { path?: string; wsOptions?: ClientOptions } = {}): ScriptedClient {
    assertNotEnded(this.disposed);
    const client = new ScriptedClient({
      name,
      url: `${this.url}${options.path ?? '/'}`,
      transcript: this.transcript,
      program: this.server,
      wsOptions: options.wsOptions,
    });
    this.clients.push(client);
    return client;
  }

  /** Writes a note into the transcript, to explain a step of the check. */
  note(text: string): void {
    this.transcript.add('checker', 'note', text);
  }

  /**
   * Starts watching the resident memory of the learner's server (all of its process group),
   * with a baseline taken now; undefined where /proc is missing (not Linux).
   */
  watchMemory(): MemoryWatch | undefined {
    return MemoryWatch.start(this.server.pid);
  }

  /** True once the check has stopped the server on purpose with stopServer(). */
  serverStoppedByCheck = false;

  /**
   * Stops the learner's server on purpose, to see how its clients react to a server going
   * away. The check is not failed for the server having stopped; a later check that needs the
   * server gets a new one.
   */
  async stopServer(): Promise<void> {
    this.serverStoppedByCheck = true;
    this.note('the checker stops your server, as when it crashes or is shut down');
    await this.server.stop();
  }

  /**
   * Awaits `work`; when it fails because the learner's server has stopped (it crashed), fails
   * instead with "Your server stopped after <what>", the server's output, and `explanation`.
   */
  async keepsServing<T>(work: PromiseLike<T>, what: string, explanation: string): Promise<T> {
    try {
      return await work;
    } catch (failure) {
      // A connection can end a moment before the exit of the process is reported.
      await this.server.settleIfExiting();
      if (this.server.running) throw failure;
      throw new CheckFailure(`Your server stopped after ${what}. It must keep serving everyone else.`, {
        received: this.server.outputSummary(),
        explanation,
      });
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const client of this.clients) client.terminate();
  }
}

/**
 * What a check of a client lesson works with: a scripted server to point the learner's
 * client at, and a way to start the client (as many times as the check needs).
 */
export class ClientCheckContext {
  private readonly programs: RunningProgram[] = [];
  private readonly servers: ScriptedServer[] = [];
  private readonly unusedPorts: number[] = [];
  private disposed = false;

  constructor(
    private readonly source: ProgramSource,
    private readonly cwd: string,
    readonly transcript: Transcript,
    /** The lesson's and the check's environment, for every launch. */
    private readonly env: Environment = {},
  ) {}

  /** Starts a scripted WebSocket server on loopback for the learner's client to connect to. */
  async startServer(): Promise<ScriptedServer> {
    assertNotEnded(this.disposed);
    const server = await ScriptedServer.start(this.transcript);
    this.servers.push(server);
    if (this.disposed) await server.close();
    return server;
  }

  /** Starts the learner's client with WS_URL set to `url`, the lesson's and the check's environment, and any extra. */
  launch(url: string, env: Environment = {}): RunningProgram {
    assertNotEnded(this.disposed);
    const program = RunningProgram.start(this.source, { env: { WS_URL: url, ...this.env, ...env }, cwd: this.cwd, label: 'client' });
    program.transcript = this.transcript;
    this.programs.push(program);
    for (const server of this.servers) server.program ??= program;
    return program;
  }

  /** An address on loopback where nothing listens, for "could not connect" checks. */
  async unusedUrl(): Promise<string> {
    const port = await allocatePort();
    this.unusedPorts.push(port);
    return `ws://127.0.0.1:${port}`;
  }

  note(text: string): void {
    this.transcript.add('checker', 'note', text);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.programs.map((program) => program.stop()));
    await Promise.all(this.servers.map((server) => server.close()));
    for (const port of this.unusedPorts) releasePort(port);
  }
}

/** A check that ran out of time may still be running; it must not open anything new. */
function assertNotEnded(disposed: boolean): void {
  if (disposed) throw new Error('this check has already ended (it ran out of time)');
}
