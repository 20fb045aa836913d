import { deadline, seconds } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import { collectYoungGarbage } from '../core/young-garbage.ts';
import { describeFrame, type Transcript } from '../core/transcript.ts';
import type { ScriptedPeer } from './scripted-peer.ts';

export interface FloodOptions {
  /** The word every message of this flood starts with, so that no other message passes for one of its. */
  label: string;
  /** The peer that publishes. */
  publisher: ScriptedPeer;
  /**
   * The peers that must receive every message, in order, as fast as it is published (the
   * publisher among them when the server sends it its own messages): they set the pace.
   */
  receivers: ScriptedPeer[];
  /** Peers that receive the flood too but may fall behind: what they receive is checked, but they do not set the pace. */
  laggards?: ScriptedPeer[];
  count: number;
  /** Bytes in each message. */
  size: number;
  /** At most this many messages published that some receiver does not have yet. */
  window: number;
  transcript: Transcript;
}

/** Received bytes after which the checker collects its young garbage (see collectYoungGarbage). */
const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

/** What one peer has received of the flood. */
export interface Reception {
  readonly peer: ScriptedPeer;
  /** How many messages it received, all of them right and in order. */
  received: number;
  /** The first wrong message it got (a message out of order, changed, or binary), or the end of its connection mid-flood. */
  failure: CheckFailure | undefined;
  /** Its longest wait from a message's publishing to its arrival, in milliseconds, and which message that was. */
  slowest: { ms: number; index: number };
}

/**
 * A flood of numbered text messages, all of one size, published by one peer through a server
 * that passes every message on to every client (a hub), and checked at every receiver as it
 * arrives: for checks of what a server does under load. Nothing is kept but counts and times,
 * and the publisher writes its messages into a few buffers it reuses, so millions of bytes cost
 * the checker little memory; the messages skip the transcript (the check writes a summary). The
 * publisher keeps at most `window` messages in flight, so a message's time from publishing to
 * arrival measures the server, not a queue the checker built.
 *
 * Messages are indexed from 0 and numbered from 1 in their text, e.g. "flood 000001 …".
 */
export class Flood {
  /** How many messages have been published. */
  published = 0;
  /** When each message was published, on the transcript's clock. */
  private readonly sentAt: Float64Array;
  /** When each message first reached a receiver, on the transcript's clock: the server had handled it by then. */
  private readonly firstArrival: Float64Array;
  private readonly receptions = new Map<ScriptedPeer, Reception>();
  /** Every message's bytes but its header. */
  private readonly template: Buffer;
  /**
   * The buffers messages are published from, in turn: message i from buffer i % (window + 1).
   * When message i is published, fewer than `window` messages are in flight, so message
   * i - window - 1 has reached every receiver: its buffer is free again. The first is the
   * template itself (a message's header never touches the rest).
   */
  private readonly outgoing: Buffer[];
  private readonly headerLength: number;
  private wake: (() => void) | undefined;
  private receivedSinceCollection = 0;
  /** Waits on what a peer receives (until()), by peer. */
  private readonly watchers = new Map<ScriptedPeer, Set<() => void>>();

  constructor(private readonly options: FloodOptions) {
    this.sentAt = new Float64Array(options.count);
    this.firstArrival = new Float64Array(options.count).fill(Number.NaN);
    this.headerLength = this.header(0).length;
    this.template = Buffer.concat([Buffer.from(this.header(0)), textOfBytes(options.size - this.headerLength)]);
    this.outgoing = Array.from({ length: Math.min(options.window + 1, options.count) }, (_, i) => (i === 0 ? this.template : Buffer.from(this.template)));
    for (const peer of options.receivers) this.listen(peer, true);
    for (const peer of options.laggards ?? []) this.listen(peer, false);
  }

  /** How many messages the flood has in all. */
  get count(): number {
    return this.options.count;
  }

  /** How many messages every pace-setting receiver has. */
  get handled(): number {
    let least = Number.POSITIVE_INFINITY;
    for (const peer of this.options.receivers) least = Math.min(least, this.reception(peer).received);
    return least;
  }

  reception(peer: ScriptedPeer): Reception {
    return this.receptions.get(peer)!;
  }

  /** When message `index` first reached a receiver, on the transcript's clock (NaN if it has not). */
  arrivalOf(index: number): number {
    return this.firstArrival[index]!;
  }

  /** The pace-setting receiver that waited longest for a message, and how long. */
  slowest(): Reception {
    return [...this.options.receivers].map((peer) => this.reception(peer)).sort((a, b) => b.slowest.ms - a.slowest.ms)[0]!;
  }

  /**
   * Publishes until every message is published and received, or, when `stop` returns true
   * (asked each time the receivers have `every` more messages), until everything published so
   * far is received. Call again to go on. Fails when a receiver gets a wrong message, loses its
   * connection, or nothing arrives for the reply deadline.
   */
  async publish(options: { stop?: (handled: number) => boolean; every?: number } = {}): Promise<void> {
    const every = options.every ?? this.options.window;
    let nextLook = this.handled + every;
    const timeToStop = (handled: number) => {
      if (handled < nextLook || !options.stop) return false;
      nextLook = handled + every;
      return options.stop(handled);
    };
    let stopping = false;
    // One timer for the whole call, not one per message: it fails the wait when a whole period passes with nothing received.
    const ms = deadline('reply');
    let stalled = false;
    let seen = this.handled;
    const watchdog = setInterval(() => {
      stalled = this.handled === seen;
      seen = this.handled;
      if (stalled) this.wakeUp();
    }, ms);
    try {
      for (;;) {
        const failure = this.paceFailure();
        if (failure) throw failure;
        if (stalled) throw this.stalled(ms);
        if (!stopping) this.pump();
        if (this.handled === this.published && (stopping || this.published === this.options.count)) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        stopping ||= timeToStop(this.handled);
      }
    } finally {
      clearInterval(watchdog);
    }
  }

  /**
   * Waits until `test` holds for what `peer` has received; looked at on each of its messages of
   * the flood and when its connection ends. Resolves 'met', or 'timeout' when `ms` pass first,
   * or 'quiet' when `quietMs` pass without a message for it (it has got all there was for now).
   */
  until(peer: ScriptedPeer, test: (reception: Reception) => boolean, ms: number, quietMs = ms): Promise<'met' | 'quiet' | 'timeout'> {
    const reception = this.reception(peer);
    const watchers = this.watchers.get(peer)!;
    return new Promise((resolve) => {
      let quiet: NodeJS.Timeout | undefined;
      const finish = (outcome: 'met' | 'quiet' | 'timeout') => {
        clearTimeout(timer);
        clearTimeout(quiet);
        watchers.delete(look);
        resolve(outcome);
      };
      const look = () => {
        if (test(reception)) return finish('met');
        clearTimeout(quiet);
        quiet = setTimeout(() => finish('quiet'), quietMs);
      };
      const timer = setTimeout(() => finish('timeout'), ms);
      watchers.add(look);
      look();
    });
  }

  /** Hands the receivers' messages back to their expectations. */
  end(): void {
    for (const peer of this.receptions.keys()) peer.divert(undefined);
  }

  private pump(): void {
    const { publisher, count, window } = this.options;
    // A publisher the server is closing sends nothing more; the end of its connection is reported as a receiver's.
    if (!publisher.isOpen) return;
    while (this.published < count && this.published - this.handled < window) {
      const index = this.published;
      const message = this.outgoing[index % this.outgoing.length]!;
      message.write(this.header(index), 0, 'latin1');
      this.sentAt[index] = this.options.transcript.now();
      publisher.sendQuietly(message);
      this.published++;
    }
  }

  private listen(peer: ScriptedPeer, setsPace: boolean): void {
    const reception: Reception = { peer, received: 0, failure: undefined, slowest: { ms: 0, index: 0 } };
    this.receptions.set(peer, reception);
    const watchers = new Set<() => void>();
    this.watchers.set(peer, watchers);
    const news = () => {
      for (const look of [...watchers]) look();
    };
    void peer.closed.then(news);
    peer.divert((data, isBinary) => {
      this.collectNowAndThen(data.length);
      if (reception.failure) return;
      const index = reception.received;
      if (isBinary || !this.isMessage(data, index)) {
        reception.failure = this.wrongMessage(peer, index, data, isBinary);
      } else {
        reception.received++;
        if (setsPace) {
          const now = this.options.transcript.now();
          if (Number.isNaN(this.firstArrival[index]!)) this.firstArrival[index] = now;
          const waited = now - this.sentAt[index]!;
          if (waited > reception.slowest.ms) reception.slowest = { ms: waited, index };
        }
      }
      if (setsPace) this.wakeUp();
      news();
    });
    // A laggard's connection may end (that can be what the check is about); a receiver's may not, before it has every message.
    if (!setsPace) return;
    void peer.closed.then(() => {
      if (reception.received === this.options.count) return;
      reception.failure ??= new CheckFailure(
        `${peer.name}'s connection closed (code ${peer.closeInfo?.code}) after ${reception.received} of the ${this.options.count} messages of the flood.`,
        { expected: `message ${reception.received + 1} of the flood`, received: `close with code ${peer.closeInfo?.code}` },
      );
      this.wakeUp();
    });
  }

  /**
   * Every few megabytes received, a collection of the checker's young garbage, once the
   * messages in hand are done with (a collection while one is still referenced would keep it
   * alive, and soon in the old generation, which only a full collection empties).
   */
  private collectNowAndThen(bytes: number): void {
    this.receivedSinceCollection += bytes;
    if (this.receivedSinceCollection < COLLECT_EVERY_BYTES) return;
    this.receivedSinceCollection = Number.NEGATIVE_INFINITY;
    setImmediate(() => {
      this.receivedSinceCollection = 0;
      collectYoungGarbage();
    });
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private paceFailure(): CheckFailure | undefined {
    return this.options.receivers.map((peer) => this.reception(peer).failure).find((failure) => failure !== undefined);
  }

  private header(index: number): string {
    return `${this.options.label} ${String(index + 1).padStart(6, '0')} `;
  }

  private isMessage(data: Buffer, index: number): boolean {
    const { size } = this.options;
    const length = this.headerLength;
    return data.length === size && data.toString('latin1', 0, length) === this.header(index) && data.compare(this.template, length, size, length, size) === 0;
  }

  private wrongMessage(peer: ScriptedPeer, index: number, data: Buffer, isBinary: boolean): CheckFailure {
    const expected = `message ${index + 1} of the flood (${this.options.size} bytes of text starting "${this.header(index)}")`;
    const numbered = new RegExp(`^${this.options.label} (\\d{6}) `).exec(data.subarray(0, this.headerLength).toString('latin1'));
    const number = numbered ? Number(numbered[1]) : undefined;
    let what = describeFrame(data, isBinary);
    if (number !== undefined && number > index + 1) what = `message ${number}: messages ${index + 1} to ${number - 1} never arrived`;
    else if (number !== undefined && number < index + 1) what = `message ${number} again`;
    else if (number !== undefined) what = isBinary ? `message ${number} as a binary frame` : `message ${number}, changed (${data.length} bytes)`;
    return new CheckFailure(`${peer.name} expected ${expected}, but received ${what}.`, { expected, received: what });
  }

  private stalled(ms: number): CheckFailure {
    const behind = this.options.receivers.map((peer) => this.reception(peer)).filter((reception) => reception.received < this.published);
    const names = behind.map((reception) => `${reception.peer.name} (${reception.received} received)`).join(', ');
    const publisher = this.options.publisher;
    const closing = publisher.isOpen ? '' : ` ${publisher.name}'s connection was closing, so she could publish no more.`;
    return new CheckFailure(`Nothing arrived for ${seconds(ms)} while ${this.published} messages of the flood had been published: ${names}.${closing}`, {
      expected: `message ${this.handled + 1} of the flood`,
      received: 'nothing',
    });
  }
}

/** Text of exactly `bytes` bytes of UTF-8: words, spaces and a few characters beyond ASCII. */
function textOfBytes(bytes: number): Buffer {
  const text = Buffer.alloc(bytes, 'Every message reaches every client, exactly as sent: Grüße, 日本語, 👋 and plain words. ');
  // The words repeat up to the last byte, which may cut the last character short: blank it out.
  let last = bytes - 1;
  while (last > 0 && (text[last]! & 0xc0) === 0x80) last--;
  const lead = text[last] ?? 0;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (last + length > bytes) text.fill(' ', last);
  return text;
}
