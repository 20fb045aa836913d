import http from 'node:http';
import type { Duplex } from 'node:stream';
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

/** One WebSocket opening handshake the learner's client began (an HTTP upgrade request), accepted or refused. */
export interface ConnectionAttempt {
  /** Its number, from 1, counting every attempt this server has seen. */
  number: number;
  /** When the upgrade request arrived, in milliseconds on the transcript's clock. */
  at: number;
  /** The HTTP status it was refused with; undefined when it was accepted. */
  refusedWith?: number;
}

const HOST = '127.0.0.1';

/**
 * A WebSocket server the checker controls, for client exercises: the learner's program is
 * started with WS_URL pointing here, and the check scripts what this server expects and says.
 *
 * For the lessons about clients that reconnect, it can also be unreachable for a while: it
 * can refuse every opening handshake with an HTTP error status (`refuse(503)`, the client
 * sees "Unexpected server response: 503") until `accept()`, or stop listening altogether (`stopListening()`,
 * the client's connection is refused by the kernel) and come back later on the same port
 * (`listenAgain()`). Every handshake it sees is recorded with its time (`attempts`,
 * `nextAttempt()`), so a check can judge how long the client waited between attempts; an
 * attempt while nothing listens never reaches it, and is not recorded. Its connections can be
 * ended with a close frame of any code (`connection.close(code, reason)`) or none at all
 * (`connection.drop()`).
 */
export class ScriptedServer {
  /** The learner's client, once started: lets failures say "your client stopped". */
  program: RunningProgram | undefined;
  /** Every opening handshake this server has seen, in the order they came. */
  readonly attempts: ConnectionAttempt[] = [];
  /** Connections opened and not yet taken by nextConnection(), with the attempt that opened each. */
  private readonly waiting: { ws: WebSocket; attempt: ConnectionAttempt }[] = [];
  private readonly wakers = new Set<() => void>();
  private readonly connections: ServerConnection[] = [];
  private readonly untrack: () => void;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  /** The HTTP listeners, one per period of listening: an old one keeps the connections it upgraded. */
  private readonly listeners: http.Server[] = [];
  private listener: http.Server | undefined;
  private refusing: number | undefined;
  /** How many attempts nextAttempt() has handed out. */
  private attemptsTaken = 0;

  private constructor(
    readonly port: number,
    private readonly transcript: Transcript,
  ) {
    this.untrack = trackCloser(() => this.close());
  }

  static async start(transcript: Transcript): Promise<ScriptedServer> {
    for (let attempt = 1; ; attempt++) {
      const port = await allocatePort();
      const server = new ScriptedServer(port, transcript);
      try {
        await server.listen();
        return server;
      } catch (error) {
        await server.close();
        // The port was free when handed out, but another program on the machine bound it first.
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw error;
      }
    }
  }

  get url(): string {
    return `ws://${HOST}:${this.port}`;
  }

  /** Whether the server is listening now (false between stopListening() and listenAgain()). */
  get listening(): boolean {
    return this.listener !== undefined;
  }

  /**
   * From now on, answers every opening handshake with the HTTP status `status` (503 Service
   * Unavailable, as a server that is overloaded or restarting behind a proxy), recording it as
   * a refused attempt, until accept().
   */
  refuse(status = 503): void {
    this.refusing = status;
    this.note(`the server refuses every connection attempt with HTTP ${status}`);
  }

  /** Accepts opening handshakes again, after refuse(). */
  accept(): void {
    this.refusing = undefined;
    this.note('the server accepts connections again');
  }

  /**
   * Stops listening: the port refuses connections (ECONNREFUSED), as when the server is down.
   * Open connections stay open. The port stays this server's, for listenAgain().
   */
  stopListening(): void {
    this.listener?.close();
    this.listener = undefined;
    this.note(`the server stops listening: nothing accepts connections on port ${this.port} now`);
  }

  /** Listens again on the same port, after stopListening(). */
  async listenAgain(): Promise<void> {
    try {
      await this.listen();
    } catch (error) {
      // Not the learner's doing: another program on this machine took the port in between.
      throw new Error(`the checker's server could not listen on port ${this.port} again (${(error as Error).message}); check again`);
    }
    this.note(`the server listens again on port ${this.port}`);
  }

  /**
   * Waits for the learner's client's next opening handshake (accepted or refused) after the
   * ones this method has already returned and those of the connections nextConnection() has
   * returned, at most `ms`. Resolves with it, or with undefined
   * when none came in time or the client exited first (the check says what that means).
   */
  async nextAttempt(ms: number): Promise<ConnectionAttempt | undefined> {
    const giveUpAt = performance.now() + ms;
    for (;;) {
      const attempt = this.attempts[this.attemptsTaken];
      if (attempt) {
        this.attemptsTaken++;
        return attempt;
      }
      const left = giveUpAt - performance.now();
      if (left <= 0 || (this.program && !this.program.running)) return undefined;
      await this.news(left);
    }
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
      const opened = this.waiting.shift();
      if (opened) {
        const { ws, attempt } = opened;
        this.attemptsTaken = Math.max(this.attemptsTaken, attempt.number);
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
      await this.news(left);
    }
  }

  async close(): Promise<void> {
    this.untrack();
    for (const connection of this.connections) connection.terminate();
    for (const { ws } of this.waiting) ws.terminate();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.listener = undefined;
    await Promise.all(
      this.listeners.map((listener) => {
        listener.closeAllConnections();
        return new Promise<void>((resolve) => listener.close(() => resolve()));
      }),
    );
    releasePort(this.port);
  }

  /** Resolves when something happens (an attempt, a connection, the client's exit), or after `ms`. */
  private news(ms: number): Promise<void> {
    let wake = () => {};
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
      this.wakers.add(wake);
      void this.program?.exited.then(() => resolve());
    });
    return withDeadline(woken, ms, () => new Error('timeout'))
      .catch(() => {})
      .finally(() => this.wakers.delete(wake));
  }

  private async listen(): Promise<void> {
    const listener = http.createServer((_request, response) => {
      response.writeHead(426, { 'Content-Type': 'text/plain' }).end('This is a WebSocket server: connect with a WebSocket client.\n');
    });
    listener.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
    listener.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.port, HOST, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    this.listeners.push(listener);
    this.listener = listener;
  }

  private upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const attempt: ConnectionAttempt = { number: this.attempts.length + 1, at: this.transcript.now() };
    if (this.refusing !== undefined) {
      attempt.refusedWith = this.refusing;
      const reason = http.STATUS_CODES[this.refusing] ?? 'Refused';
      socket.end(`HTTP/1.1 ${this.refusing} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      this.attempts.push(attempt);
      this.note(`your client's connection attempt ${attempt.number} was refused with HTTP ${this.refusing} ${reason}`);
      this.wakeUp();
      return;
    }
    this.attempts.push(attempt);
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.note(
        attempt.number === 1 ? "your client connected to the checker's server" : `your client connected to the checker's server (attempt ${attempt.number})`,
      );
      this.waiting.push({ ws, attempt });
      this.wakeUp();
    });
  }

  private wakeUp(): void {
    for (const wake of [...this.wakers]) wake();
  }

  private note(text: string): void {
    this.transcript.add('checker', 'note', text);
  }
}
