import net from 'node:net';
import { deadline, seconds, withDeadline } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import type { RunningProgram } from '../process/program.ts';
import { quoteText, type Transcript } from '../core/transcript.ts';
import { describeDecodedFrame, describeFrameSpec, encodeFrame, frame, FrameDecoder, hexPreview, OPCODE, type DecodedFrame, type FrameSpec } from './frames.ts';
import { acceptFor, buildUpgradeRequest, headLength, parseResponseHead, type ResponseHead, type UpgradeRequest } from './upgrade-request.ts';

/**
 * How bytes reach the server: in one write, a write per frame, a write per byte, or cut at
 * the given offsets. TCP may join writes again when the server reads slowly. `confirmed` makes
 * sure the server reads the first piece alone: it goes out behind a short text frame, and the
 * rest only once that frame's echo is back (an echo server's, as in lesson 16). Only the first:
 * after it the server holds part of a frame, and no other frame can be put in between.
 */
export type Delivery = 'whole' | 'frame-by-frame' | 'byte-by-byte' | { splitAt: number[]; confirmed?: boolean };

export interface RawPeerOptions {
  /** This side's name in the transcript. */
  name: string;
  host: string;
  port: number;
  transcript: Transcript;
  /** The learner's server: lets failures say "your server stopped" with its error output. */
  program?: RunningProgram;
}

const BODY_SHOWN = 200;
/** More than any real response head: what a server sends beyond it without an empty line is not kept. */
const MAX_HEAD = 64 * 1024;

/**
 * A client that speaks WebSocket by hand over a plain TCP connection, for the lessons where the
 * learner writes the protocol: it sends exact bytes (a hand-made request, frames right or
 * wrong, split at any byte or several in one write), decodes what comes back, and records both
 * in the transcript, frames as frames. Every read has a deadline.
 *
 *     const peer = await RawPeer.connect({ name: 'alice', host, port, transcript });
 *     await peer.openWebSocket();
 *     await peer.send(frame.text('hi'), 'byte-by-byte');
 *     const echo = await peer.nextFrame('the echo of "hi"');
 */
export class RawPeer {
  readonly name: string;
  private readonly transcript: Transcript;
  private readonly program: RunningProgram | undefined;
  private phase: 'response' | 'frames' | 'body' = 'response';
  private headBytes = Buffer.alloc(0);
  private response: ResponseHead | undefined;
  /** What followed a response other than 101, as text (the start of it). */
  private body = '';
  private readonly decoder = new FrameDecoder();
  private readonly inbox: DecodedFrame[] = [];
  /** Set when the server ended its side of the connection (or it broke). */
  private endedBy: string | undefined;
  /** The waits in progress, woken by every event to look again. */
  private readonly waiters = new Set<() => void>();
  private readonly closed: Promise<void>;
  private endedHere = false;
  private readonly hostHeader: string;

  private constructor(
    private readonly socket: net.Socket,
    options: RawPeerOptions,
  ) {
    this.name = options.name;
    this.transcript = options.transcript;
    this.program = options.program;
    this.hostHeader = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => this.ended('the server ended the TCP connection'));
    // A write after the server has gone fails here; reading is what checks look at.
    socket.on('error', (error: NodeJS.ErrnoException) => this.ended(`the connection failed (${error.code ?? error.message})`));
    socket.on('close', () => this.ended('the TCP connection closed'));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Opens a TCP connection to the server. */
  static async connect(options: RawPeerOptions): Promise<RawPeer> {
    const socket = net.connect({ host: options.host, port: options.port });
    const connected = new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const ms = deadline('reply');
    try {
      await withDeadline(
        connected,
        ms,
        () => new CheckFailure(`${options.name} could not open a TCP connection to port ${options.port} within ${seconds(ms)}.`),
      );
    } catch (error) {
      socket.destroy();
      if (error instanceof CheckFailure) throw error;
      throw new CheckFailure(`${options.name} could not open a TCP connection to port ${options.port}: ${(error as Error).message}.`);
    }
    return new RawPeer(socket, options);
  }

  // ---- the HTTP part --------------------------------------------------------------------------

  /** Writes a hand-made HTTP request (the exact text) and reads the head of the response. */
  async request(text: string): Promise<ResponseHead> {
    for (const line of text.replace(/\r\n\r\n$/, '').split('\r\n')) this.transcript.frame(this.name, 'server', line);
    this.socket.write(text);
    return this.responseHead();
  }

  /** Sends an upgrade request with the chosen headers; resolves with the response and the key sent. */
  async upgrade(request: UpgradeRequest = {}): Promise<{ response: ResponseHead; key: string | undefined }> {
    const { text, key } = buildUpgradeRequest(this.hostHeader, request);
    return { response: await this.request(text), key };
  }

  /**
   * Performs the opening handshake and fails unless the server switched to WebSocket with the
   * right Sec-WebSocket-Accept. From then on, frames are read.
   */
  async openWebSocket(request: UpgradeRequest = {}): Promise<ResponseHead> {
    const { response, key } = await this.upgrade(request);
    const accept = key === undefined ? undefined : acceptFor(key);
    if (response.status === 101 && (accept === undefined || response.headers['sec-websocket-accept'] === accept)) return response;
    throw new CheckFailure(
      `${this.name} could not open a WebSocket connection: the server answered the upgrade request with ${quoteText(response.statusLine)}.`,
      {
        expected: `HTTP/1.1 101 Switching Protocols${accept ? ` with Sec-WebSocket-Accept: ${accept}` : ''}`,
        received: [response.statusLine, ...response.lines].join('\n'),
      },
    );
  }

  /** Reads the head of the response to a request, up to its empty line, within the deadline. */
  private async responseHead(ms = deadline('reply')): Promise<ResponseHead> {
    await this.until(
      () => this.response !== undefined,
      ms,
      (why) => {
        const sofar = this.headBytes.toString('latin1');
        if (sofar === '') return this.failure(`${this.name} expected the answer to its HTTP request, but ${why}.`, 'an HTTP response', 'nothing');
        const explanation = sofar.includes('\n') && !sofar.includes('\r\n') ? BARE_NEWLINES : HEAD_NEVER_ENDED;
        return this.failure(
          `${this.name} expected the answer to its HTTP request, but ${why} before its head was complete.`,
          'a response head ending with an empty line (\\r\\n\\r\\n)',
          quoteText(sofar),
          explanation,
        );
      },
    );
    return this.response!;
  }

  // ---- the WebSocket part -------------------------------------------------------------------

  /** Writes frames, delivered as `delivery` says. Resolves once the bytes are handed to the system. */
  async send(frames: FrameSpec | FrameSpec[], delivery: Delivery = 'whole'): Promise<void> {
    const specs = [frames].flat();
    const encoded = specs.map(encodeFrame);
    for (const [i, spec] of specs.entries()) this.transcript.frame(this.name, 'server', describeFrameSpec(spec, encoded[i]!));
    const how = describeDelivery(delivery, specs.length);
    if (how) this.transcript.add(this.name, 'note', how);
    if (delivery === 'frame-by-frame') return this.write(encoded);
    const pieces = splitBytes(Buffer.concat(encoded), delivery);
    if (typeof delivery === 'object' && delivery.confirmed) return this.writeConfirmed(pieces);
    return this.write(pieces);
  }

  /** The next frame the server sent; fails when the connection ends first or nothing comes in time. */
  async nextFrame(expected: string, ms = deadline('reply')): Promise<DecodedFrame> {
    await this.until(
      () => this.inbox.length > 0 || this.decoder.malformed !== undefined,
      ms,
      (why) => this.frameMissing(expected, why),
    );
    const next = this.inbox.shift();
    if (next) return next;
    const bad = this.decoder.malformed!;
    throw this.failure(
      `${this.name} expected ${expected}, but received bytes that are not a WebSocket frame: ${bad.reason}.`,
      expected,
      `<${hexPreview(bad.bytes, 32)}>`,
    );
  }

  /** Frames received and not read yet. */
  unread(): DecodedFrame[] {
    return [...this.inbox];
  }

  /** Waits for the server to end the TCP connection, with nothing more sent. */
  async expectEnd(what = 'the server to end the TCP connection', ms = deadline('close')): Promise<void> {
    await this.until(
      () => this.endedBy !== undefined || this.inbox.length > 0,
      ms,
      () => this.failure(`${this.name} expected ${what}, but it stayed open for ${seconds(ms)}.`, what, 'the connection still open'),
    );
    const extra = this.inbox.shift();
    if (extra) throw this.failure(`${this.name} expected ${what}, but the server sent another frame.`, what, describeDecodedFrame(extra));
  }

  /** Whether the server has ended the connection. */
  get isEnded(): boolean {
    return this.endedBy !== undefined;
  }

  /** Stops reading: what the server sends piles up, until the TCP window is full. */
  pauseReading(): void {
    this.transcript.add(this.name, 'note', `${this.name} stops reading from its connection`);
    this.socket.pause();
  }

  resumeReading(): void {
    this.transcript.add(this.name, 'note', `${this.name} reads from its connection again`);
    this.socket.resume();
  }

  /** Ends this side of the TCP connection (a FIN), as a client does after a close handshake. */
  end(): void {
    this.endedHere = true;
    this.socket.end();
  }

  /** Drops the connection with a TCP reset, as a crashed machine's network would. */
  reset(): void {
    this.endedHere = true;
    this.transcript.add(this.name, 'note', `${this.name} resets the TCP connection (no close frame, no FIN)`);
    this.socket.resetAndDestroy();
  }

  /** Closes the connection at once, for cleaning up after a check. */
  destroy(): void {
    this.endedHere = true;
    this.socket.destroy();
  }

  // ---- internals ------------------------------------------------------------------------------

  private receive(chunk: Buffer): void {
    if (this.phase === 'response') {
      // A head that never ends is shown as far as it came, without keeping a flood of it.
      if (this.headBytes.length < MAX_HEAD) this.headBytes = Buffer.concat([this.headBytes, chunk]);
      const length = headLength(this.headBytes);
      if (length === -1) return;
      const head = parseResponseHead(this.headBytes.subarray(0, length).toString('latin1'));
      for (const line of [head.statusLine, ...head.lines]) this.transcript.frame('server', this.name, line);
      this.response = head;
      this.phase = head.status === 101 ? 'frames' : 'body';
      chunk = this.headBytes.subarray(length);
      this.headBytes = this.headBytes.subarray(0, length);
    }
    if (this.phase === 'body') {
      if (chunk.length > 0 && this.body.length < BODY_SHOWN) {
        this.body += chunk.toString('utf8');
        this.transcript.frame('server', this.name, `body ${quoteText(chunk.toString('utf8'))}`);
      }
    } else {
      for (const decoded of this.decoder.push(chunk)) {
        this.transcript.frame('server', this.name, describeDecodedFrame(decoded));
        this.inbox.push(decoded);
      }
      const bad = this.decoder.malformed;
      if (bad && this.inbox.length === 0) this.transcript.frame('server', this.name, `malformed: ${bad.reason} <${hexPreview(bad.bytes, 32)}>`);
    }
    this.wakeUp();
  }

  private ended(how: string): void {
    if (this.endedBy !== undefined) return;
    this.endedBy = how;
    if (!this.endedHere) this.transcript.add(this.name, 'close', how);
    this.wakeUp();
  }

  private async write(pieces: Buffer[]): Promise<void> {
    if (pieces.length === 1) {
      // Not awaited: a large frame is flushed only as fast as the server reads, and a server
      // that refuses it may never read all of it. Its answer is what the check looks at.
      this.socket.write(pieces[0]!);
      return;
    }
    for (const piece of pieces) {
      if (this.socket.destroyed || this.socket.writableEnded) return;
      // Each piece reaches the system before the next is written, so the server sees them apart.
      await Promise.race([new Promise<void>((resolve) => this.socket.write(piece, () => resolve())), this.closed]);
    }
  }

  /** Writes the first piece behind a text frame, and the rest once that frame's echo is back. */
  private async writeConfirmed([first, ...rest]: Buffer[]): Promise<void> {
    const token = 'a piece follows';
    this.socket.write(Buffer.concat([encodeFrame(frame.text(token)), first!]));
    const echoed = (decoded: DecodedFrame) => decoded.opcode === OPCODE.text && decoded.payload.toString() === token;
    await this.until(
      () => this.inbox.some(echoed),
      deadline('reply'),
      (why) =>
        this.failure(
          `${this.name} expected the echo of ${quoteText(token)}, sent to know that the server had read the piece behind it, but ${why}.`,
          `the echo of ${quoteText(token)}`,
          'nothing',
        ),
    );
    this.inbox.splice(this.inbox.findIndex(echoed), 1);
    await this.write(rest);
  }

  /** Waits until `ready()` holds, re-testing after every event; fails as `failure` says when the connection ends or time runs out. */
  private async until(ready: () => boolean, ms: number, failure: (why: string) => CheckFailure): Promise<void> {
    const giveUpAt = performance.now() + ms;
    for (;;) {
      if (ready()) return;
      if (this.endedBy !== undefined) throw (await this.crash()) ?? failure(this.endedBy);
      const left = giveUpAt - performance.now();
      if (left <= 0) throw (await this.crash()) ?? failure(`nothing arrived within ${seconds(ms)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  private wakeUp(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private frameMissing(expected: string, why: string): CheckFailure {
    const pending = this.decoder.pending;
    if (pending === 0) return this.failure(`${this.name} expected ${expected}, but ${why}.`, expected, 'nothing');
    return this.failure(
      `${this.name} expected ${expected}, but ${why} in the middle of a frame: only ${pending} bytes of it arrived.`,
      expected,
      `an incomplete frame <${hexPreview(this.decoder.pendingBytes(), 32)}>`,
      INCOMPLETE_FRAME,
    );
  }

  private failure(message: string, expected: string, received: string, explanation?: string): CheckFailure {
    return new CheckFailure(message, { expected, received, explanation });
  }

  /** When the connection ends or falls silent, the usual reason is that the server died. */
  private async crash(): Promise<CheckFailure | undefined> {
    if (!this.program) return undefined;
    await this.program.settleIfExiting();
    // No fallback explanation: the caller may know what its step most likely broke.
    return this.program.stoppedFailure(`while ${this.name} was connected`);
  }
}

const HEAD_NEVER_ENDED =
  'An HTTP head ends with an empty line: the last header line ends with \\r\\n, and one more \\r\\n follows. ' +
  'Until that empty line arrives, a client keeps waiting for more headers.';

const BARE_NEWLINES =
  'Your lines end with \\n alone. HTTP lines end with \\r\\n (carriage return, line feed), and the head ends with an empty ' +
  "line: join the lines with '\\r\\n' and end the head with '\\r\\n\\r\\n'.";

const INCOMPLETE_FRAME =
  "A frame's header says how many payload bytes follow. Fewer arrived: check the length you write in the header " +
  '(7 bits up to 125, then 126 and a 16-bit length, or 127 and a 64-bit length) against the bytes you send.';

function splitBytes(bytes: Buffer, delivery: Delivery): Buffer[] {
  if (delivery === 'whole' || delivery === 'frame-by-frame') return [bytes];
  const cuts = delivery === 'byte-by-byte' ? Array.from({ length: bytes.length - 1 }, (_, i) => i + 1) : delivery.splitAt;
  const edges = [0, ...cuts.filter((cut) => cut > 0 && cut < bytes.length), bytes.length];
  return edges.slice(1).map((end, i) => bytes.subarray(edges[i], end));
}

function describeDelivery(delivery: Delivery, frames: number): string | undefined {
  if (delivery === 'byte-by-byte') return `(sent one byte per write)`;
  if (delivery === 'frame-by-frame') return undefined;
  if (delivery === 'whole') return frames > 1 ? `(the ${frames} frames above sent in one write)` : undefined;
  const confirmed = delivery.confirmed ? '; the first behind a text frame "a piece follows", the rest once its echo showed the server had read it' : '';
  return `(sent in pieces, cut after bytes ${delivery.splitAt.join(', ')}${confirmed})`;
}
