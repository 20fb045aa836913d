import { WebSocketServer, type WebSocket } from 'ws';
import { trackCloser } from '../process/cleanup.ts';
import { deadline, seconds, withDeadline } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import { explainCrash } from '../core/explanations.ts';
import { allocatePort, releasePort } from '../process/ports.ts';
import type { RunningProgram } from '../process/program.ts';
import { ScriptedPeer } from './scripted-peer.ts';
import type { Transcript } from '../core/transcript.ts';

/** The checker's end of one connection that the learner's client opened. */
export class ServerConnection extends ScriptedPeer {}

/**
 * A WebSocket server the checker controls, for client exercises: the learner's program is
 * started with WS_URL pointing here, and the check scripts what this server expects and says.
 */
export class ScriptedServer {
  /** The learner's client, once started: lets failures say "your client stopped". */
  program: RunningProgram | undefined;
  private readonly waiting: WebSocket[] = [];
  private wake: (() => void) | undefined;
  private readonly connections: ServerConnection[] = [];
  private readonly untrack: () => void;

  private constructor(
    private readonly wss: WebSocketServer,
    readonly port: number,
    private readonly transcript: Transcript,
  ) {
    wss.on('connection', (ws) => {
      this.transcript.add('checker', 'note', "your client connected to the checker's server");
      this.waiting.push(ws);
      this.wake?.();
    });
    this.untrack = trackCloser(() => this.close());
  }

  static async start(transcript: Transcript): Promise<ScriptedServer> {
    for (let attempt = 1; ; attempt++) {
      const port = await allocatePort();
      const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });
      try {
        await new Promise<void>((resolve, reject) => {
          wss.once('listening', resolve);
          wss.once('error', reject);
        });
        return new ScriptedServer(wss, port, transcript);
      } catch (error) {
        releasePort(port);
        // The port was free when handed out, but another program on the machine bound it first.
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw error;
      }
    }
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /**
   * Waits for the learner's client to open its next connection:
   *
   *     const { connection } = await server.nextConnection();
   *
   * (Wrapped in an object because a connection is awaitable: resolving with it would run its
   * steps and hand back undefined.)
   */
  async nextConnection(ms = deadline('start')): Promise<{ connection: ServerConnection }> {
    const giveUpAt = performance.now() + ms;
    for (;;) {
      const ws = this.waiting.shift();
      if (ws) {
        const connection = new ServerConnection(ws, { name: 'checker', peerName: 'client', transcript: this.transcript, program: this.program });
        this.connections.push(connection);
        return { connection };
      }
      if (this.program && !this.program.running) {
        throw new CheckFailure(`Your client exited before it connected to ${this.url} (the WS_URL it was given).`, {
          received: this.program.outputSummary(),
          explanation:
            explainCrash(this.program.stderr.text()) ??
            'Read the address from process.env.WS_URL and create the WebSocket with it; keep the program running until the conversation is over.',
        });
      }
      const left = giveUpAt - performance.now();
      if (left <= 0) {
        throw new CheckFailure(`Your client did not connect to ${this.url} (the WS_URL it was given) within ${seconds(ms)}.`, {
          received: this.program?.outputSummary(),
          explanation: 'Read the address from process.env.WS_URL (falling back to ws://localhost:8080) instead of hard-coding it.',
        });
      }
      await withDeadline(
        new Promise<void>((resolve) => {
          this.wake = resolve;
          void this.program?.exited.then(() => resolve());
        }),
        left,
        () => new Error('timeout'),
      ).catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.untrack();
    for (const connection of this.connections) connection.terminate();
    for (const ws of this.waiting) ws.terminate();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    releasePort(this.port);
  }
}
