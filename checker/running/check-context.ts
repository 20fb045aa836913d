import { CheckFailure } from '../core/errors.ts';
import { explainCrash } from '../core/explanations.ts';
import { MemoryWatch } from '../process/memory.ts';
import { allocatePort, releasePort } from '../process/ports.ts';
import { pauseRedisClients } from '../process/redis-server.ts';
import { prepareProgram, RunningProgram, type Environment, type ProgramSource, type StartableProgram } from '../process/program.ts';
import { type LoopbackHost, waitUntilListening } from '../process/readiness.ts';
import { RawPeer } from '../peers/raw-peer.ts';
import { ScriptedClient } from '../peers/scripted-client.ts';
import { ScriptedServer } from '../peers/scripted-server.ts';
import type { Transcript } from '../core/transcript.ts';
import type { ClientOptions } from 'ws';
import type { LearnerServer } from './learner-server.ts';
import { instanceName, type LessonServers } from './lesson-servers.ts';

/** How a check starts more runs of the learner's server: the program, its folder, the lesson's and the check's environment. */
export interface ServerLauncher {
  source: ProgramSource;
  cwd: string;
  env: Environment;
}

/**
 * One of the instances of the learner's server that a lesson's checks share (lesson 17,
 * ctx.instances()), on a port of its own, its output in the transcript under its own name
 * ("server A").
 */
export class ServerInstance {
  constructor(
    private readonly ctx: ServerCheckContext,
    private readonly started: LearnerServer,
    /** How the transcript names it: "server A", "server B"… */
    readonly name: string,
    /** Called when the check stops it on purpose, so that its stopping fails nothing. */
    private readonly onStop: () => void = () => {},
  ) {}

  get program(): RunningProgram {
    return this.started.program;
  }

  get port(): number {
    return this.started.port;
  }

  /** Opens a scripted client named `name` connected to this instance. */
  connect(name: string): ScriptedClient {
    return this.ctx.connect(name, { instance: this });
  }

  /** The WebSocket address of this instance. */
  get url(): string {
    return wsUrl(this.started.host, this.started.port);
  }

  /** Sends `signal` to this instance (its process group) and returns at once, as signalServer() does. */
  signal(signal: NodeJS.Signals): void {
    this.onStop();
    this.ctx.note(`the checker sends ${signal} to ${this.name}, as a service manager does to stop it`);
    this.started.program.signal(signal);
  }

  stop(): Promise<void> {
    this.onStop();
    return this.started.stop();
  }
}

/**
 * What a check of a server lesson works with: the learner's running server, and scripted
 * clients to connect to it. Everything a check opens is closed when the check ends.
 */
export class ServerCheckContext {
  private readonly clients: ScriptedClient[] = [];
  private readonly rawPeers: RawPeer[] = [];
  /** The lesson's servers this check stopped on purpose: their stopping is no failure. */
  private readonly stoppedOnPurpose = new Set<LearnerServer>();
  private readonly launched: RunningProgram[] = [];
  private readonly unusedPorts: number[] = [];
  /** Aborts the starts still under way when the check ends. */
  private readonly ending = new AbortController();
  private disposed = false;

  /** The lesson's servers this check has been handed: its stopping them is a failure, unless on purpose. */
  private readonly handedOut: LearnerServer[] = [];
  private shared: Promise<ServerInstance[]> | undefined;

  constructor(
    /** The lesson's server this check runs against; none for a `standalone` check, which starts its own. */
    private readonly given: LearnerServer | undefined,
    readonly transcript: Transcript,
    /** For launch(). */
    private readonly launcher: ServerLauncher,
    /** The runs of the learner's server the lesson's checks share (the first is `given`), for instances(). */
    private readonly lessonServers?: LessonServers,
  ) {
    if (given) this.handedOut.push(given);
  }

  /**
   * The instances of the learner's server the lesson's checks share (its `instances`), named
   * "server A", "server B"…, the first being ctx.server; resolves once all listen. They outlive
   * the check: its users need names no other check uses.
   */
  instances(): Promise<ServerInstance[]> {
    this.shared ??= (async () => {
      if (!this.lessonServers) throw new Error('instances(): this check runs on no server of the lesson');
      const servers = await this.lessonServers.takeAll(this.transcript, this.ending.signal);
      this.handedOut.push(...servers.filter((server) => !this.handedOut.includes(server)));
      return servers.map((server, index) => new ServerInstance(this, server, instanceName(index), () => this.stoppedOnPurpose.add(server)));
    })();
    return this.shared;
  }

  /** The lesson's servers this check has used. */
  serversUsed(): LearnerServer[] {
    return [...this.handedOut];
  }

  /** The lesson's servers this check stopped on purpose. */
  serversStoppedOnPurpose(): LearnerServer[] {
    return [...this.stoppedOnPurpose];
  }

  /** The learner's server process: its output, its standard input, whether it still runs. */
  get server(): RunningProgram {
    return this.lessonServer().program;
  }

  get port(): number {
    return this.lessonServer().port;
  }

  /** The loopback address the server answered on. */
  get host(): LoopbackHost {
    return this.lessonServer().host;
  }

  private lessonServer(): LearnerServer {
    if (!this.given) throw new Error('a standalone check has no server of the lesson: it starts its own with launch()');
    return this.given;
  }

  /** The WebSocket address of the learner's server. */
  get url(): string {
    return wsUrl(this.host, this.port);
  }

  /** The HTTP address of the learner's server (for lessons that serve pages too). */
  get httpUrl(): string {
    return this.url.replace(/^ws:/, 'http:');
  }

  /**
   * Starts one run of the learner's server named `label`, with the lesson's and the check's
   * environment and `env`, on a free PORT, without waiting for it to listen: for checks of a
   * server that must refuse to start. It is stopped when the check ends. `listening` resolves
   * with true once it listens on its PORT, or with false when it stops (or the check ends) first.
   */
  async launch(label: string, env: Environment = {}): Promise<{ program: RunningProgram; listening: Promise<boolean> }> {
    assertNotEnded(this.disposed);
    const startable = await prepareProgram(this.launcher.source);
    const port = await allocatePort();
    this.unusedPorts.push(port);
    const program = RunningProgram.start(startable, { env: { PORT: String(port), ...this.launcher.env, ...env }, cwd: this.launcher.cwd, label });
    program.transcript = this.transcript;
    this.launched.push(program);
    const listening = waitUntilListening(program, port, this.ending.signal).then(
      () => true,
      () => false,
    );
    return { program, listening };
  }

  /**
   * Holds the lesson's Redis still for `ms`: every command sent meanwhile waits, then all run in
   * the order they arrived, so that requests from several instances truly meet (lesson 17's
   * names claimed at once). Only for a lesson with `redis`.
   */
  async holdRedis(ms: number): Promise<void> {
    const url = this.launcher.env.REDIS_URL;
    if (url === undefined || !(await pauseRedisClients(url, ms))) throw new Error("holdRedis: this lesson has no Redis of the checker's to hold");
    this.note(`the checker holds Redis still for ${ms} ms, so that what arrives meanwhile meets at once`);
  }

  /** A redis:// address on loopback where nothing listens, for "Redis unreachable" checks. */
  async unusedRedisUrl(): Promise<string> {
    const port = await allocatePort();
    this.unusedPorts.push(port);
    return `redis://127.0.0.1:${port}`;
  }

  /**
   * Opens a scripted client named `name` (as it appears in the transcript), connected to the
   * lesson's server or to `instance`. With `autoPong: false` it answers the server's pings by
   * hand, and can stop (answerPings).
   */
  connect(name: string, options: { path?: string; wsOptions?: ClientOptions; autoPong?: boolean; instance?: ServerInstance } = {}): ScriptedClient {
    assertNotEnded(this.disposed);
    const client = new ScriptedClient({
      name,
      url: `${options.instance?.url ?? this.url}${options.path ?? '/'}`,
      transcript: this.transcript,
      program: options.instance?.program ?? this.server,
      peerName: options.instance?.name,
      wsOptions: options.autoPong === undefined ? options.wsOptions : { ...options.wsOptions, autoPong: options.autoPong },
    });
    this.clients.push(client);
    return client;
  }

  /**
   * Opens a TCP connection named `name` for a client that speaks WebSocket by hand (the lessons
   * where the learner writes the protocol). It records into `transcript`: the check's, or one of
   * its own for a case run beside others.
   */
  async rawConnect(name: string, transcript = this.transcript): Promise<RawPeer> {
    assertNotEnded(this.disposed);
    const peer = await RawPeer.connect({ name, host: this.host, port: this.port, transcript, program: this.server });
    this.rawPeers.push(peer);
    if (this.disposed) peer.destroy();
    return peer;
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

  /**
   * Stops the learner's server on purpose, to see how its clients react to a server going
   * away. The check is not failed for the server having stopped; a later check that needs the
   * server gets a new one.
   */
  async stopServer(): Promise<void> {
    this.stoppedOnPurpose.add(this.lessonServer());
    this.note('the checker stops your server, as when it crashes or is shut down');
    await this.server.stop();
  }

  /**
   * Sends `signal` to the learner's server (its process group, as a terminal or a service
   * manager does) and returns at once: for checks of how a server shuts itself down, which
   * watch its clients and `server.allGone()`. As with stopServer(), the check is not failed for
   * the server having stopped, a later check gets a new one, and what is left is stopped.
   */
  signalServer(signal: NodeJS.Signals): void {
    this.stoppedOnPurpose.add(this.lessonServer());
    this.note(`the checker sends ${signal} to your server, as a service manager does to stop it`);
    this.server.signal(signal);
  }

  /**
   * Awaits `work`; when it fails because the learner's server has stopped (it crashed), fails
   * instead with "Your server stopped after <what>", the server's output, and an explanation:
   * the cause its error output shows, when it is a known one, or else `explanation`.
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
        explanation: explainCrash(this.server.stderr.text()) ?? explanation,
      });
    }
  }

  /** Closes everything the check opened; resolves once the programs it started are gone. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.ending.abort();
    for (const client of this.clients) client.terminate();
    for (const peer of this.rawPeers) peer.destroy();
    await Promise.all(this.launched.map((program) => program.stop()));
    for (const port of this.unusedPorts) releasePort(port);
  }
}

function wsUrl(host: LoopbackHost, port: number): string {
  return `ws://${host === '::1' ? '[::1]' : host}:${port}`;
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
    private readonly startable: StartableProgram,
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
    const program = RunningProgram.start(this.startable, { env: { WS_URL: url, ...this.env, ...env }, cwd: this.cwd, label: 'client' });
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
