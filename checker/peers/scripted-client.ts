import { randomBytes } from 'node:crypto';
import WebSocket, { type ClientOptions } from 'ws';
import { deadline, withDeadline } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import { explain, explainConnectError } from '../core/explanations.ts';
import type { RunningProgram } from '../process/program.ts';
import { livingMembers } from '../process/process-group.ts';
import { loopbackConnection, socketInodes, type LoopbackConnection } from '../process/tcp-connections.ts';
import { ScriptedPeer } from './scripted-peer.ts';
import { quoteText, type Transcript } from '../core/transcript.ts';

export interface ScriptedClientOptions {
  name: string;
  url: string;
  /** How the transcript names the server it talks to ("server" unless several run: "server B"). */
  peerName?: string;
  transcript: Transcript;
  program?: RunningProgram;
  /** Extra options for the ws client (headers, origin…). With `autoPong: false` the client answers pings by hand (answerPings). */
  wsOptions?: ClientOptions;
}

/**
 * A scripted WebSocket client that checks drive against the learner's server. It starts
 * connecting at once; the first step of its chain waits for the connection to open.
 *
 *     const alice = ctx.connect('alice');
 *     await alice.send('hello').expectText('Echo: hello');
 */
/** The states in which a program still holds its end of a connection (the other end may have closed its own). */
const HELD = ['ESTABLISHED', 'CLOSE_WAIT'];

export class ScriptedClient extends ScriptedPeer {
  private openError: Error | undefined;
  private ports: { client: number | undefined; server: number | undefined } | undefined;
  /** The server's end of this connection, once found: its socket's inode, and the processes that may hold it. */
  private serverSocket: { inode: string; pids: number[] } | undefined;

  constructor(options: ScriptedClientOptions) {
    const ws = new WebSocket(options.url, { perMessageDeflate: false, handshakeTimeout: deadline('reply'), ...options.wsOptions });
    super(ws, {
      name: options.name,
      peerName: options.peerName ?? 'server',
      transcript: options.transcript,
      program: options.program,
      pongsByHand: options.wsOptions?.autoPong === false,
    });
    ws.on('error', (error) => {
      this.openError ??= error;
    });
    const opened = new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        this.transcript.add(this.name, 'note', `${this.name} connected`);
        resolve();
      });
      ws.once('close', () => reject(this.connectFailure()));
    });
    this.step(async () => {
      try {
        await withDeadline(opened, deadline('reply'), () => this.connectFailure());
      } catch (failure) {
        throw (await this.programCrash()) ?? failure;
      }
    });
  }

  /**
   * Sends text frames in one TCP write, so that they arrive together, as those of a client that
   * does not wait for an answer in between may (ws itself writes each frame on its own).
   */
  sendTogether(texts: string[]): this {
    return this.step(() => {
      if (!this.isOpen) throw new CheckFailure(`${this.name} could not send: the connection was not open.`);
      for (const text of texts) this.transcript.frame(this.name, 'server', `text ${quoteText(text)}`);
      this.transcript.add(this.name, 'note', `${this.name} sent the ${texts.length} frames above in one TCP write`);
      this.socket().write(Buffer.concat(texts.map(maskedTextFrame)));
    });
  }

  /**
   * Whether the server's program still holds its end of this connection open, from /proc;
   * undefined where /proc is missing. It lets go of it when it closes the socket (terminate()
   * does at once), even while what it had sent still waits in the kernel for this client to read.
   * With the learner's program known, only the first look reads the kernel's socket tables (to
   * find that end's socket); later ones look among the program's open files, which costs a
   * fraction of a millisecond where the tables can cost several.
   */
  serverHoldsConnection(): boolean | undefined {
    if (!this.serverSocket) {
      const tcp = this.tcp();
      if (!tcp) return undefined;
      const held = tcp.server !== undefined && HELD.includes(tcp.server.state);
      const pids = this.program && livingMembers(this.program.pid);
      if (!held || !tcp.server || !pids) return held;
      this.serverSocket = { inode: tcp.server.inode, pids };
    }
    return socketInodes(this.serverSocket.pids).has(this.serverSocket.inode);
  }

  /**
   * How many bytes the server has written into this connection so far, from /proc: what this
   * client has read, plus what waits in the kernel's buffers at both ends. What the server's
   * program was asked to send beyond that still waits inside the server (ws's bufferedAmount).
   * Undefined where /proc is missing or once an end has gone.
   */
  bytesWrittenByServer(): number | undefined {
    const tcp = this.tcp();
    if (!tcp?.client || !tcp.server) return undefined;
    return this.bytesRead + tcp.client.receiveQueue + tcp.server.sendQueue;
  }

  private tcp(): LoopbackConnection | undefined {
    // Taken while the socket is whole: a destroyed socket no longer knows its ports.
    this.ports ??= { client: this.socket().localPort, server: this.socket().remotePort };
    const { client, server } = this.ports;
    return client === undefined || server === undefined ? undefined : loopbackConnection(client, server);
  }

  private connectFailure(): CheckFailure {
    const error = this.openError?.message;
    // No error yet (or ws's own timeout): the TCP connection is up, but nothing answered the upgrade request.
    if (error === undefined || /handshake has timed out/i.test(error)) {
      return new CheckFailure(`${this.name} could not open a WebSocket connection: the server accepted it but never answered the WebSocket handshake.`, {
        explanation: explain.serverBlocked,
      });
    }
    return new CheckFailure(`${this.name} could not open a WebSocket connection: ${error}.`, { explanation: explainConnectError(error) });
  }
}

/** A client's text frame as RFC 6455 lays it out: FIN and the text opcode, the masked length (up to 64 KiB), the mask, the masked payload. */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length < 126 ? [0x80 | payload.length] : [0x80 | 126, payload.length >> 8, payload.length & 0xff];
  const mask = randomBytes(4);
  return Buffer.concat([Buffer.from([0x81, ...length]), mask, payload.map((byte, i) => byte ^ mask[i % 4]!)]);
}
