import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { deadline, seconds, withDeadline } from '../core/deadlines.ts';
import { watchBusy, type BusyWatch } from '../process/cpu-usage.ts';
import { CheckFailure, type FailureDetails } from '../core/errors.ts';
import { explain } from '../core/explanations.ts';
import type { RunningProgram } from '../process/program.ts';
import { describeFrame, quoteText, type Transcript } from '../core/transcript.ts';
import { encodeFrame, frame } from './frames.ts';
import { describeJson, describeWanted, jsonMismatch, jsonType, parseJson, type JsonExpectation } from './json-match.ts';

/** One message as it was received. */
export interface Message {
  /** The payload as text (a binary payload decoded as UTF-8). */
  text: string;
  isBinary: boolean;
  data: Buffer;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** True when this side started the close (close() or drop()). */
  initiatedHere: boolean;
}

export interface ExpectOptions {
  /** Names a lesson-specific mistake from what arrived instead; undefined when none fits. */
  explain?: (received: Message) => string | undefined;
  /** Names a lesson-specific mistake when nothing arrived in time and the program still runs; undefined when none fits. */
  explainSilence?: () => string | undefined;
  /** Overrides the reply deadline (milliseconds, already scaled). */
  ms?: number;
  /**
   * Messages to pass over before the expected one (they stay in the transcript), for a client
   * that may also receive other people's messages at any moment, such as broadcasts.
   */
  skip?: (message: Message) => boolean;
}

export interface JsonExpectOptions extends Omit<ExpectOptions, 'explain'> {
  /** Names a lesson-specific mistake from what arrived instead: its JSON (undefined when it was not JSON) and the frame. */
  explain?: (value: unknown, message: Message) => string | undefined;
  /** Passes over JSON messages whose `type` is not the expected one, to wait for the next of that type. */
  skipOtherTypes?: boolean;
}

/** An expectation of one protocol message: a JSON object, given partly (see json-match.ts). */
export type JsonMessageExpectation = { readonly [key: string]: JsonExpectation };

export interface PeerOptions {
  /** This side's name in the transcript: "alice", or "checker" for the scripted server. */
  name: string;
  /** The other side's name: "server", or "your client". */
  peerName: string;
  transcript: Transcript;
  /** The learner's program; lets failures say "your server stopped" with its error output. */
  program?: RunningProgram;
  /**
   * The connection was made with ws's `autoPong: false`: this peer answers pings itself, for
   * as long as its check lets it (answerPings).
   */
  pongsByHand?: boolean;
}

/**
 * One end of a WebSocket connection, driven by a script, for checks. The scripted client and
 * the scripted server's connections are both peers:
 *
 *     await alice.send('hello').expectText('Echo: hello');
 *
 * Steps run in order; awaiting the peer waits for every step so far. Each expectation has a
 * deadline and fails with what was expected, what arrived instead, and the transcript.
 *
 * A peer is awaitable (PromiseLike), so never resolve a promise with one, e.g. by returning it
 * from an async function: the await would run its steps and hand back undefined.
 */
export class ScriptedPeer implements PromiseLike<void> {
  readonly name: string;
  protected readonly ws: WebSocket;
  protected readonly transcript: Transcript;
  protected readonly program: RunningProgram | undefined;
  private readonly peerName: string;
  private readonly inbox: Message[] = [];
  private wake: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
  closeInfo: CloseInfo | undefined;
  private closingHere = false;
  /** Terminated by the cleanup after its check: its ending is not part of the check's story. */
  private cleanedUp = false;
  private readonly ignoring: ((message: Message) => string | undefined)[] = [];
  private readonly watchers: ((message: Message) => void)[] = [];
  /** Resolves when the connection has closed (closeInfo then says how); never rejects. */
  readonly closed: Promise<void>;
  /** When each ping from the other side arrived, in milliseconds on the transcript's clock. */
  readonly pings: number[] = [];
  /** When this side stopped answering pings (answerPings(false) or vanish()), on the transcript's clock. */
  stoppedAnsweringAt: number | undefined;
  /** When the connection ended, on the transcript's clock. */
  closedAt: number | undefined;
  /**
   * When this side began to end the connection (close() or drop()), on the transcript's clock:
   * the earliest moment the other side can have learnt of the end, from which a check times
   * what it does next (a client's wait before it reconnects).
   */
  endingAt: number | undefined;
  private readonly pongsByHand: boolean;
  private answeringPings = true;
  private diverted: ((data: Buffer, isBinary: boolean) => void) | undefined;

  constructor(ws: WebSocket, options: PeerOptions) {
    this.ws = ws;
    this.name = options.name;
    this.peerName = options.peerName;
    this.transcript = options.transcript;
    this.program = options.program;
    this.pongsByHand = options.pongsByHand ?? false;
    ws.on('ping', (data: Buffer) => this.pinged(data));
    ws.on('message', (data: Buffer, isBinary) => {
      if (this.diverted) return this.diverted(data, isBinary);
      this.transcript.frame(this.peerName, this.name, describeFrame(data, isBinary));
      const message = { text: data.toString('utf8'), isBinary, data };
      for (const watcher of this.watchers) watcher(message);
      const ignored = this.ignoring.reduce<string | undefined>((reason, next) => reason ?? next(message), undefined);
      if (ignored) {
        this.transcript.add(this.name, 'note', `set aside: ${ignored}`);
        return;
      }
      this.inbox.push(message);
      this.wakeUp();
    });
    // Errors end in a close event, which is what the expectations look at.
    ws.on('error', () => this.wakeUp());
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closedAt = this.transcript.now();
        this.closeInfo = { code, reason: reason.toString(), initiatedHere: this.closingHere };
        const who = this.closingHere ? `${this.name} closed the connection` : `${this.peerName} closed the connection to ${this.name}`;
        if (!this.cleanedUp) this.transcript.add(this.name, 'close', `${who}: code ${code}${reason.length ? `, reason ${quoteText(reason.toString())}` : ''}`);
        this.wakeUp();
        resolve();
      });
    });
  }

  // ---- the chain ----------------------------------------------------------------------

  then<A = void, B = never>(
    onFulfilled?: ((value: void) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const steps = this.chain;
    this.chain = steps.catch(() => {});
    return steps.then(onFulfilled, onRejected);
  }

  /** Queues any action as the next step (for checks that need more than the steps below). */
  step(action: () => void | Promise<void>): this {
    this.chain = this.chain.then(action);
    // A step nobody awaits must not become an unhandled rejection; awaiting still sees it.
    this.chain.catch(() => {});
    return this;
  }

  /**
   * Sets aside every message for which `reason` returns a reason (noted in the transcript), so
   * no expectation sees it: for late echoes of an earlier check on a shared server. Each call
   * adds a reason; they are asked in the order given, until one answers.
   */
  ignore(reason: (message: Message) => string | undefined): this {
    this.ignoring.push(reason);
    return this;
  }

  /** Calls `watcher` with every message that arrives from now on, read or not, set aside or not: for checks about all a server sent. */
  watch(watcher: (message: Message) => void): this {
    this.watchers.push(watcher);
    return this;
  }

  /**
   * Hands every message from now on to `handler` instead of the expectations and the transcript,
   * until called with undefined: for floods of thousands of messages, which the check verifies
   * as they come (keeping none) and sums up in the transcript itself.
   */
  divert(handler: ((data: Buffer, isBinary: boolean) => void) | undefined): this {
    this.diverted = handler;
    return this;
  }

  /**
   * Stops reading from the connection, as a client on a bad network or a frozen tab does: what
   * the other side sends piles up in the kernel's buffers, then in the other program. (Node.js
   * may still read a little ahead, and ws deliver what it had already read.)
   */
  stopReading(): this {
    return this.step(() => {
      this.ws.pause();
      this.transcript.add(this.name, 'note', `${this.name} stops reading: what the ${this.peerName} sends now waits in buffers`);
    });
  }

  /** Reads again after stopReading(): what waited arrives, in order. */
  readAgain(): this {
    return this.step(() => {
      this.transcript.add(this.name, 'note', `${this.name} reads again`);
      this.ws.resume();
    });
  }

  /** Bytes of the TCP connection this side has read so far, the HTTP handshake included. */
  get bytesRead(): number {
    return this.socket().bytesRead;
  }

  // ---- sending --------------------------------------------------------------------------

  /** Sends a message at once, with no transcript entry: for floods, which the check sums up itself. */
  sendQuietly(data: Buffer, binary = false): void {
    this.assertOpen('send');
    this.ws.send(data, { binary });
  }

  /** Sends a text frame. */
  send(text: string): this {
    return this.step(() => {
      this.assertOpen(`send ${quoteText(text)}`);
      this.transcript.frame(this.name, this.peerName, `text ${quoteText(text)}`);
      this.ws.send(text);
    });
  }

  /**
   * Sends text frames in one TCP write, as a flood arrives: the server reads them all at once,
   * so that what it does with them cannot depend on the checker's timing.
   */
  sendBurst(texts: string[]): this {
    return this.step(() => {
      this.assertOpen(`send a burst of ${texts.length} messages`);
      const last = texts.length > 1 ? ` … ${quoteText(texts.at(-1)!)}` : '';
      this.transcript.frame(this.name, this.peerName, `${texts.length} text frames in one write: ${quoteText(texts[0] ?? '')}${last}`);
      this.socket().write(Buffer.concat(texts.map((text) => encodeFrame(frame.text(text)))));
    });
  }

  /** Sends a binary frame. */
  sendBinary(bytes: Uint8Array): this {
    return this.step(() => {
      this.assertOpen('send a binary frame');
      this.transcript.frame(this.name, this.peerName, describeFrame(Buffer.from(bytes), true));
      this.ws.send(bytes, { binary: true });
    });
  }

  /** Writes bytes straight onto the TCP connection, bypassing WebSocket framing. */
  sendRaw(bytes: Uint8Array, description = `${bytes.length} raw bytes`): this {
    return this.step(() => {
      this.assertOpen('send raw bytes');
      this.transcript.frame(this.name, this.peerName, description);
      this.socket().write(bytes);
    });
  }

  /**
   * Sends a text frame without the mask every client frame must carry: a protocol error,
   * which a ws server answers by closing with 1002 (and an 'error' event on that connection).
   */
  sendUnmaskedFrame(text: string): this {
    const payload = Buffer.from(text);
    const frame = Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
    return this.sendRaw(frame, `a malformed frame: text ${quoteText(text)} without the mask clients must use`);
  }

  /**
   * Pings the other side and waits for its pong. A pong proves the other side's WebSocket is
   * open (a client has had its 'open' event) and reading, without asking it for any message.
   */
  ping(): this {
    return this.step(async () => {
      this.assertOpen('send a ping');
      const pong = new Promise<void>((resolve) => this.ws.once('pong', () => resolve()));
      this.transcript.add(this.name, 'note', `${this.name} sent a ping (answered by the WebSocket library itself)`);
      this.ws.ping();
      const ms = deadline('reply');
      await withDeadline(
        Promise.race([pong, this.closed]),
        ms,
        () =>
          new CheckFailure(
            `${this.peerName} did not answer a ping from ${this.name} within ${seconds(ms)}. ` +
              'A WebSocket library answers pings by itself, unless something blocks the event loop of its program.',
          ),
      );
      if (this.closeInfo) throw await this.closedInstead('the answer to a ping');
    });
  }

  /** Starts a normal close handshake and waits until the connection has closed. */
  close(code = 1000, reason = ''): this {
    return this.step(async () => {
      this.closingHere = true;
      this.endingAt = this.transcript.now();
      this.ws.close(code, reason);
      const ms = deadline('close');
      await withDeadline(
        this.closed,
        ms,
        () => new CheckFailure(`${this.peerName} did not answer the close handshake ${this.name} started, within ${seconds(ms)}.`),
      );
    });
  }

  /**
   * Starts a close handshake that never finishes: the close frames cross, but this side never
   * ends its half of the TCP connection, as a client whose network froze mid-goodbye would. The
   * other side's connection then stays CLOSING (no longer OPEN, and no 'close' event yet; ws
   * waits up to 30 s). Resolves once the other side has answered the close frame.
   */
  closeAndLinger(code = 1000): this {
    return this.step(async () => {
      const socket = this.socket();
      const answered = new Promise<void>((resolve) => socket.once('end', () => resolve()));
      // ws ends its side of the connection once both close frames have crossed; this one never does.
      socket.end = () => socket;
      this.closingHere = true;
      this.transcript.add(this.name, 'note', `${this.name} starts closing but never finishes: its TCP connection stays open`);
      this.ws.close(code);
      const ms = deadline('close');
      await withDeadline(answered, ms, () => new CheckFailure(`${this.peerName} did not answer the close frame ${this.name} sent, within ${seconds(ms)}.`));
      this.transcript.add(this.name, 'note', `${this.peerName} answered ${this.name}'s close frame; the TCP connection stays open`);
    });
  }

  /** Drops the TCP connection with no close frame, as a crashed browser or a lost network would. */
  drop(): this {
    return this.step(async () => {
      this.closingHere = true;
      this.endingAt = this.transcript.now();
      this.transcript.add(this.name, 'note', `${this.name} dropped the TCP connection (no close frame)`);
      this.ws.terminate();
      await this.closed;
    });
  }

  // ---- the other side's pings ------------------------------------------------------------

  /**
   * Starts or stops answering the other side's pings, for a peer connected with automatic
   * pongs off (ws's `autoPong: false`). A peer that stops is like a program that hangs: its TCP
   * connection is fine, but nothing answers.
   */
  answerPings(answer: boolean): this {
    return this.step(() => {
      if (!this.pongsByHand) throw new Error(`${this.name} answers pings automatically: connect it with autoPong: false to answer them by hand`);
      this.answeringPings = answer;
      this.stoppedAnsweringAt = answer ? undefined : this.transcript.now();
      this.transcript.add(
        this.name,
        'note',
        answer ? `${this.name} answers pings again` : `${this.name} stops answering pings (it still sends and reads messages)`,
      );
    });
  }

  /**
   * From now on nothing leaves this side, as when a peer's machine loses its power or its
   * network: no pong, no close frame, not even the end of the TCP connection. What arrives is
   * still read, so the check sees when the other side ends the connection.
   */
  vanish(): this {
    return this.step(() => {
      const socket = this.socket();
      // Dropped, but reported as sent, so that ws carries on as if its frames had gone out.
      socket.write = ((...args: unknown[]) => {
        const done = args.find((arg): arg is () => void => typeof arg === 'function');
        if (done) process.nextTick(done);
        return true;
      }) as Socket['write'];
      socket.end = () => socket;
      // The other side ending the connection is the news a check waits for: it ends this side too.
      socket.once('end', () => socket.destroy());
      this.answeringPings = false;
      this.stoppedAnsweringAt = this.transcript.now();
      this.transcript.add(this.name, 'note', `${this.name} vanishes: nothing it sends arrives any more (no pong, no close frame)`);
    });
  }

  /**
   * Waits for `count` more pings from the other side, counted from this step on: how a check
   * lets the other side's heartbeat tick without sleeping. Fails when the connection ends
   * first, or when they have not all come within `ms`.
   */
  expectPings(count: number, options: { ms?: number; explanation?: string } = {}): this {
    return this.step(async () => {
      const wanted = this.pings.length + count;
      const ms = options.ms ?? deadline('reply');
      const giveUpAt = performance.now() + ms;
      const expected = `${count} ping${count === 1 ? '' : 's'}`;
      while (this.pings.length < wanted) {
        const arrived = `${count - (wanted - this.pings.length)} arrived`;
        if (this.closeInfo) throw await this.closedInstead(`${expected} (${arrived})`);
        const left = giveUpAt - performance.now();
        if (left <= 0) {
          throw new CheckFailure(`${this.name} expected ${expected} from ${this.peerName} within ${seconds(ms)}, but ${arrived}.`, {
            expected,
            received: arrived,
            explanation: options.explanation,
          });
        }
        await this.news(left);
      }
    });
  }

  /** The close frame the other side sent, if one has arrived (even when this side never answered it). */
  get closeFrameReceived(): { code: number; reason: string } | undefined {
    // Until its close event, ws keeps this to itself; a vanished peer may never get that far.
    const internals = this.ws as unknown as { _closeFrameReceived: boolean; _closeCode: number; _closeMessage: Buffer };
    return internals._closeFrameReceived ? { code: internals._closeCode, reason: internals._closeMessage.toString() } : undefined;
  }

  private pinged(data: Buffer): void {
    this.pings.push(this.transcript.now());
    this.transcript.frame(this.peerName, this.name, 'ping');
    if (this.pongsByHand && this.answeringPings && this.ws.readyState === WebSocket.OPEN) {
      this.ws.pong(data);
      this.transcript.frame(this.name, this.peerName, 'pong');
    }
    this.wakeUp();
  }

  // ---- expecting ----------------------------------------------------------------------------

  /** The next message must be a text frame equal to `expected`. */
  expectText(expected: string, options: ExpectOptions = {}): this {
    return this.step(async () => {
      const message = await this.receive(`the text message ${quoteText(expected)}`, options);
      if (!message.isBinary && message.text === expected) return;
      throw this.mismatch(`${this.name} expected the message ${quoteText(expected)}.`, `text ${quoteText(expected)}`, message, options);
    });
  }

  /** The next message must satisfy `test`, and be a text frame unless `binary` is set. */
  expectMessage(test: (message: Message) => boolean, description: string, options: ExpectOptions & { binary?: boolean } = {}): this {
    return this.step(async () => {
      const message = await this.receive(description, options);
      if (message.isBinary === (options.binary ?? false) && test(message)) return;
      throw this.mismatch(`${this.name} expected ${description}.`, description, message, options);
    });
  }

  /**
   * The next message must be a text frame holding JSON that matches `expected` by value: the
   * fields given must be there and equal (key order ignored, other fields allowed), arrays
   * element by element. A failure lists the differences field by field.
   */
  expectJson(expected: JsonMessageExpectation, options: JsonExpectOptions = {}): this {
    return this.step(async () => {
      await this.receiveJson(expected, options);
    });
  }

  /** Waits for every step so far, then for a message as expectJson() does, and returns its JSON. */
  async nextJson(expected: JsonMessageExpectation = {}, options: JsonExpectOptions = {}): Promise<Record<string, unknown>> {
    await this;
    return this.receiveJson(expected, options);
  }

  /** The next message must be a binary frame, with exactly these bytes if given. */
  expectBinary(expected?: Uint8Array): this {
    const description = expected ? describeFrame(Buffer.from(expected), true) : 'a binary frame';
    return this.expectMessage((m) => !expected || m.data.equals(Buffer.from(expected)), description, { binary: true });
  }

  /** The other side must close the connection, with this code (one of these) and reason if given. */
  expectClose(expected: { code?: number | number[]; reason?: string } = {}): this {
    return this.step(async () => {
      const wanted = describeClose(expected);
      const ms = deadline('close');
      await withDeadline(this.closed, ms, () => {
        const unread = this.inbox[0] ? ` It sent ${describeFrame(this.inbox[0].data, this.inbox[0].isBinary)} instead.` : '';
        return new CheckFailure(`${this.name} expected ${this.peerName} to close the connection${wanted}, but it stayed open for ${seconds(ms)}.${unread}`, {
          expected: `a close frame${wanted}`,
        });
      });
      const info = this.closeInfo!;
      const codes = expected.code === undefined ? undefined : [expected.code].flat();
      const codeOk = codes === undefined || codes.includes(info.code);
      const reasonOk = expected.reason === undefined || expected.reason === info.reason;
      if (codeOk && reasonOk) return;
      throw new CheckFailure(`${this.name} expected the connection to close${wanted}.`, {
        expected: `close${wanted}`,
        received:
          `close with code ${info.code}${info.reason ? ` and reason ${quoteText(info.reason)}` : ' and no reason'}` +
          (info.code === 1006 ? ' (1006: the TCP connection ended without a close frame)' : ''),
      });
    });
  }

  /** Waits for every step so far, then for the next message, and returns it. */
  async nextMessage(description = 'a message', ms?: number): Promise<Message> {
    await this;
    return this.receive(description, { ms });
  }

  /** Waits for every step so far, then for the connection to close, and returns how it closed. */
  async closure(ms = deadline('close')): Promise<CloseInfo> {
    await this;
    await withDeadline(this.closed, ms, () => new CheckFailure(`${this.name} expected the connection to close within ${seconds(ms)}, but it stayed open.`));
    return this.closeInfo!;
  }

  /** Messages that arrived and no expectation has read yet. After closure(), all the other side sent. */
  unread(): Message[] {
    return [...this.inbox];
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Ends the connection at once, for cleaning up after a check (the transcript is left as the check ended it). */
  terminate(): void {
    this.closingHere = true;
    this.cleanedUp = true;
    this.ws.terminate();
  }

  // ---- internals ------------------------------------------------------------------------

  protected async receive(description: string, options: Pick<ExpectOptions, 'ms' | 'skip' | 'explainSilence'> = {}): Promise<Message> {
    const ms = options.ms ?? deadline('reply');
    const giveUpAt = performance.now() + ms;
    let watch: BusyWatch | undefined;
    try {
      for (;;) {
        const message = this.inbox.shift();
        if (message && options.skip?.(message)) continue;
        if (message) return message;
        if (this.closeInfo) throw await this.closedInstead(description);
        // Only a wait that finds nothing waiting is worth watching (most find their message at once).
        watch ??= this.program && watchBusy(this.program.pid);
        const left = giveUpAt - performance.now();
        if (left <= 0) throw await this.silence(description, ms, watch?.busy() ?? false, options.explainSilence);
        await this.news(left);
      }
    } finally {
      watch?.stop();
    }
  }

  /** Resolves when something arrives (a message, a ping, the end of the connection), or after `ms`. */
  private news(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private assertOpen(action: string): void {
    if (this.ws.readyState === WebSocket.OPEN) return;
    const state = this.closeInfo ? `the connection had already closed (code ${this.closeInfo.code})` : 'the connection was not open';
    throw new CheckFailure(`${this.name} could not ${action}: ${state}.`);
  }

  protected socket(): Socket {
    // ws keeps the TCP socket as _socket; raw writes are the only way to break the protocol on purpose.
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  private async receiveJson(expected: JsonMessageExpectation, options: JsonExpectOptions): Promise<Record<string, unknown>> {
    const otherType = (message: Message) => {
      const type = message.isBinary ? undefined : jsonType(parseJson(message.text));
      return type !== undefined && type !== expected.type;
    };
    const skip = (message: Message) => (options.skip?.(message) ?? false) || (options.skipOtherTypes === true && otherType(message));
    const wanted = describeWanted(expected);
    let message: Message;
    try {
      message = await this.receive(wanted, { ms: options.ms, skip });
    } catch (failure) {
      // Nothing came, or the connection closed: show the whole message that was due.
      if (failure instanceof CheckFailure && failure.details.expected === wanted) failure.details.expected = describeJson(expected);
      throw failure;
    }
    const value = message.isBinary ? undefined : parseJson(message.text);
    const mismatch = jsonMismatch(expected, value, message.isBinary);
    if (!mismatch) return value as Record<string, unknown>;
    const received = value === undefined ? describeFrame(message.data, message.isBinary) : describeJson(value, 240);
    throw new CheckFailure(`${this.name} ${mismatch.headline}`, {
      expected: describeJson(expected),
      received: mismatch.differences ? `${received}\n${mismatch.differences}` : received,
      explanation: options.explain?.(value, message) ?? mismatch.explanation,
    });
  }

  private mismatch(message: string, expected: string, received: Message, options: ExpectOptions): CheckFailure {
    const details: FailureDetails = { expected, received: describeFrame(received.data, received.isBinary) };
    details.explanation = options.explain?.(received) ?? (received.isBinary ? explain.binaryReply : undefined);
    return new CheckFailure(message, details);
  }

  private async closedInstead(description: string): Promise<CheckFailure> {
    const crash = await this.programCrash();
    if (crash) return crash;
    const info = this.closeInfo!;
    return new CheckFailure(`${this.name} expected ${description}, but the connection closed first (code ${info.code}).`, {
      expected: description,
      received: `close with code ${info.code}${info.reason ? ` and reason ${quoteText(info.reason)}` : ''}`,
    });
  }

  /** `busy`: the program was computing all the while (see watchBusy). */
  private async silence(description: string, ms: number, busy: boolean, explainSilence?: () => string | undefined): Promise<CheckFailure> {
    const crash = await this.programCrash();
    if (crash) return crash;
    return new CheckFailure(`${this.name} expected ${description}, but nothing arrived within ${seconds(ms)}.`, {
      expected: description,
      received: 'nothing',
      explanation: busy ? explain.busyEventLoop(this.program!.label) : explainSilence?.(),
    });
  }

  /** When a connection ends abnormally, the usual reason is that the learner's program died. */
  protected async programCrash(): Promise<CheckFailure | undefined> {
    const program = this.program;
    if (!program) return undefined;
    // The socket can close a moment before the exit of the process is reported.
    if (this.closeInfo?.code === 1006) await program.settleIfExiting();
    const fallback = program.exitInfo?.code === 0 ? explain.exitedByItself(program.label) : 'Look at the error your program printed as it stopped.';
    return program.stoppedFailure(`while ${this.name} was connected`, fallback);
  }
}

function describeClose(expected: { code?: number | number[]; reason?: string }): string {
  const parts = [];
  if (expected.code !== undefined) parts.push(`code ${[expected.code].flat().join(' or ')}`);
  if (expected.reason !== undefined) parts.push(`reason ${quoteText(expected.reason)}`);
  return parts.length > 0 ? ` with ${parts.join(' and ')}` : '';
}
