import { scaled, seconds } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import { explain } from '../core/explanations.ts';
import { describeFrame } from '../core/transcript.ts';
import type { ScriptedClient } from '../peers/scripted-client.ts';
import type { Message } from '../peers/scripted-peer.ts';
import type { ServerCheckContext } from '../running/check-context.ts';

/**
 * The load check of the chat lessons, whatever the chat's protocol: many users join, each
 * sends its messages at once, and every user must receive every message meant for it, each
 * sender's in order, within a deadline. Deliveries are counted as they arrive, not kept, so
 * tens of thousands cost little memory.
 */
const LOAD_USERS = 50;
export const LOAD_MESSAGES = 10;
const LOAD_MS = 5_000;

/** One chat line as a receiver read it. */
interface Delivery {
  /** The sender's name. */
  from: string;
  /** Which of its messages, from 1. */
  number: number;
  /** The server's id of the message, when the protocol has ids (they must increase for each receiver). */
  id?: number;
}

/** What the load check needs to know about a chat's protocol. */
export interface LoadProtocol {
  /** Opens a client for each of `names`, all at once, each with its join round trip queued on it. */
  join(ctx: ServerCheckContext, names: string[]): ScriptedClient[];
  /** The text a user sends as its message `number`. */
  line(number: number): string;
  /** Whether a sender receives its own messages too (lesson 09's acknowledgement). */
  toSender: boolean;
  /**
   * Reads what a user received: a delivery, the notice of someone joining (the users join at
   * once, so such notices come in any number, and are passed over), or undefined when it is
   * neither.
   */
  read(message: Message): Delivery | { joined: string } | undefined;
  /** Names the mistake behind a message that is no delivery, when one is known. */
  explainWrong?(receiver: string, message: Message): string | undefined;
  /** How a failure shows a chat line: "text "[User07]: message 1 of 10"". */
  describe(delivery: Delivery): string;
  /** Explains a sender's messages arriving out of order. */
  outOfOrder(from: string, due: number, got: number): string;
}

/** How many deliveries the load check expects. */
function loadDeliveries(protocol: Pick<LoadProtocol, 'toSender'>): number {
  return LOAD_USERS * LOAD_MESSAGES * (protocol.toSender ? LOAD_USERS : LOAD_USERS - 1);
}

export function loadCheckName(protocol: Pick<LoadProtocol, 'toSender'>): string {
  return `${LOAD_USERS} users each sending ${LOAD_MESSAGES} messages: all ${loadDeliveries(protocol).toLocaleString('en')} deliveries arrive, in order, within ${seconds(scaled(LOAD_MS))}`;
}

export async function runLoad(ctx: ServerCheckContext, protocol: LoadProtocol): Promise<void> {
  const names = Array.from({ length: LOAD_USERS }, (_, i) => `User${String(i + 1).padStart(2, '0')}`);
  // They join all at once, each waiting for its welcome; the notices of one another's joining
  // reach each user before any chat line (the server sent them before the last welcome), in
  // numbers that depend on who was first, and are skipped.
  ctx.note(`${LOAD_USERS} users join at once; each waits for its welcome.`);
  const users = protocol.join(ctx, names);
  await Promise.all(users);
  const ms = scaled(LOAD_MS);
  const expected = loadDeliveries(protocol);
  ctx.note(`Every user now sends ${LOAD_MESSAGES} messages at once: ${expected} deliveries are expected within ${seconds(ms)}.`);
  const tally = new DeliveryTally(names, protocol);
  const startedAt = performance.now();
  for (const user of users) for (let n = 1; n <= LOAD_MESSAGES; n++) user.send(protocol.line(n));
  const perReceiver = LOAD_MESSAGES * (protocol.toSender ? LOAD_USERS : LOAD_USERS - 1);
  const receiveAll = async (user: ScriptedClient, receiver: number) => {
    for (let n = 0; n < perReceiver; ) {
      let message: Message;
      try {
        message = await user.nextMessage('a chat line', Math.max(0, startedAt + ms - performance.now()));
      } catch (failure) {
        // Still open and still running: the deliveries are just not all there in time.
        if (user.isOpen && ctx.server.running) throw tally.tooSlow(ms);
        throw failure;
      }
      if (tally.record(receiver, message)) n++;
    }
  };
  await Promise.all(users.map(receiveAll));
  ctx.note(`All ${expected} deliveries arrived in ${Math.round(performance.now() - startedAt)} ms.`);
}

/** Counts the deliveries per (receiver, sender), checking each sender's order and each receiver's ids. */
class DeliveryTally {
  private readonly index: Map<string, number>;
  /** The next message number each receiver expects from each sender, from 1. */
  private readonly next: Uint8Array;
  /** The last id each receiver has seen. */
  private readonly lastId: number[];
  private delivered = 0;

  constructor(
    private readonly names: string[],
    private readonly protocol: LoadProtocol,
  ) {
    this.index = new Map(names.map((name, i) => [name, i]));
    this.next = new Uint8Array(names.length * names.length).fill(1);
    this.lastId = names.map(() => -Infinity);
  }

  /** Records what `receiver` received; false for a notice that is not a delivery. Throws when it is wrong. */
  record(receiver: number, message: Message): boolean {
    const to = this.names[receiver]!;
    const read = this.protocol.read(message);
    // The notice of another of the users joining; about the receiver itself, it is a mistake.
    if (read && 'joined' in read && read.joined !== to && this.index.has(read.joined)) return false;
    const delivery = read && 'from' in read ? read : undefined;
    const sender = delivery && this.index.get(delivery.from);
    if (!delivery || sender === undefined) throw this.wrong(to, message, this.protocol.explainWrong?.(to, message));
    if (sender === receiver && !this.protocol.toSender) throw this.wrong(to, message, explain.senderInBroadcast(to));
    const slot = receiver * this.names.length + sender;
    const due = this.next[slot]!;
    if (delivery.number !== due) {
      throw new CheckFailure(`${to} received ${delivery.from}'s message ${delivery.number} when its message ${due} was due.`, {
        expected: this.protocol.describe({ from: delivery.from, number: due }),
        received: this.protocol.describe(delivery),
        explanation: this.protocol.outOfOrder(delivery.from, due, delivery.number),
      });
    }
    if (delivery.id !== undefined) {
      if (delivery.id <= this.lastId[receiver]!) {
        throw new CheckFailure(`${to} received a message with id ${delivery.id} after one with id ${this.lastId[receiver]}.`, {
          expected: `ids strictly increasing for every receiver (after ${this.lastId[receiver]}, a greater one)`,
          received: `id ${delivery.id}`,
          explanation:
            'Message ids are one sequence for the whole server: one counter, increased once per message and sent with it to everyone. ' +
            'Then every user sees them in increasing order. A counter per connection or per sender gives the same id to different messages.',
        });
      }
      this.lastId[receiver] = delivery.id;
    }
    this.next[slot] = due + 1;
    this.delivered++;
    return true;
  }

  private wrong(to: string, message: Message, explanation: string | undefined): CheckFailure {
    return new CheckFailure(`${to} received a message that is not one of the users' chat lines.`, {
      expected: `a chat line like ${this.protocol.describe({ from: 'User07', number: 1 })}`,
      received: describeFrame(message.data, message.isBinary),
      explanation: explanation ?? (message.isBinary ? explain.binaryReply : undefined),
    });
  }

  tooSlow(ms: number): CheckFailure {
    const short: string[] = [];
    for (const [receiver, name] of this.names.entries()) {
      let missing = 0;
      for (let sender = 0; sender < this.names.length; sender++) {
        if (sender !== receiver || this.protocol.toSender) missing += LOAD_MESSAGES + 1 - this.next[receiver * this.names.length + sender]!;
      }
      if (missing > 0) short.push(`${name} is missing ${missing}`);
    }
    const others = this.protocol.toSender ? `all ${LOAD_USERS} users, its own included` : `each of the other ${LOAD_USERS - 1} users`;
    return new CheckFailure(
      `Only ${this.delivered} of the ${loadDeliveries(this.protocol)} deliveries arrived within ${seconds(ms)}` +
        ` (${short.slice(0, 3).join(', ')}${short.length > 3 ? `, and ${short.length - 3} more users are short too` : ''}).`,
      {
        expected: `every user receives the ${LOAD_MESSAGES} messages of ${others}`,
        received: `${this.delivered} deliveries`,
        explanation:
          'A chat server passes each message on at once. If it is slow under load, look for work that blocks the event loop ' +
          '(a busy-wait, synchronous file writes, heavy logging per delivery) or messages dropped on purpose (rate limits).',
      },
    );
  }
}
