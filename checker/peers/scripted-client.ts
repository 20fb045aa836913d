import WebSocket, { type ClientOptions } from 'ws';
import { deadline, withDeadline } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import { explain, explainConnectError } from '../core/explanations.ts';
import type { RunningProgram } from '../process/program.ts';
import { ScriptedPeer } from './scripted-peer.ts';
import type { Transcript } from '../core/transcript.ts';

export interface ScriptedClientOptions {
  name: string;
  url: string;
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
export class ScriptedClient extends ScriptedPeer {
  private openError: Error | undefined;

  constructor(options: ScriptedClientOptions) {
    const ws = new WebSocket(options.url, { perMessageDeflate: false, handshakeTimeout: deadline('reply'), ...options.wsOptions });
    super(ws, {
      name: options.name,
      peerName: 'server',
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
