import type { ServerCheckContext } from '../check-context.ts';
import { scaled, seconds } from '../deadlines.ts';
import { CheckFailure } from '../errors.ts';
import { explain } from '../explanations.ts';
import type { ServerCheck } from '../lesson-api.ts';
import type { ScriptedClient } from '../scripted-client.ts';
import type { Message } from '../scripted-peer.ts';
import { quoteText } from '../transcript.ts';
import type { Served } from './robustness.ts';

/**
 * The chat protocol of lesson 06 (spoken again by lesson 08's page server), and the checks
 * that prove it. A client's first message is its name; once it has joined, its messages go
 * to every other joined user as "[Name]: message"; joins and leaves are announced.
 *
 * The checks share one server. Each uses its own users, and each leaves nothing behind: its
 * clients are gone when it ends, and the server handled their going before the next check's
 * users join (the connections ended before those users even connected).
 */

/** Every line the server sends, built in one place. */
export const chatText = {
  welcome: (name: string) => `[Server]: Welcome, ${name}!`,
  joined: (name: string) => `[Server]: ${name} has joined the chat.`,
  left: (name: string) => `[Server]: ${name} has left the chat.`,
  emptyName: '[Server]: Name cannot be empty.',
  line: (sender: string, message: string) => `[${sender}]: ${message}`,
};

export interface ChatOptions {
  /** The path chat clients connect to, when the server does not take them on "/". */
  path?: string;
}

type Explainer = (got: string) => string | undefined;

/**
 * Opens a client for user `name` with the join round trip queued: it sends its name (or
 * `typed`, which must trim to the name) and expects its welcome. Await it before relying on
 * the user having joined.
 */
export function join(ctx: ServerCheckContext, name: string, options: ChatOptions & { typed?: string } = {}): ScriptedClient {
  const user = ctx.connect(name, { path: options.path });
  return expectChat(user.send(options.typed ?? name), chatText.welcome(name), (got) =>
    got === chatText.emptyName ? `The server refused ${quoteText(options.typed ?? name)} as empty; only a name that is empty after trim() is refused.` : undefined,
  );
}

/**
 * Joins users one after another, each once the one before is in: every earlier user receives
 * the later ones' join notices. Resolves when all of them have arrived, so no message is
 * left waiting in any user's inbox.
 */
export async function joinInTurn(ctx: ServerCheckContext, names: string[], options: ChatOptions = {}): Promise<ScriptedClient[]> {
  const users: ScriptedClient[] = [];
  for (const name of names) {
    const newcomer = join(ctx, name, options);
    for (const user of users) expectChat(user, chatText.joined(name));
    await explaining(
      Promise.all([newcomer, ...users]),
      `When ${name} joins, ${name} receives ${quoteText(chatText.welcome(name))} and every other joined user receives ${quoteText(chatText.joined(name))}.`,
    );
    users.push(newcomer);
  }
  return users;
}

/** Queues the expectation that `user`'s next message is `expected`, naming the likely mistake when it is not. */
export function expectChat(user: ScriptedClient, expected: string, more?: Explainer): ScriptedClient {
  return user.expectText(expected, {
    explain: (received) => (received.isBinary ? undefined : (more?.(received.text) ?? explainChat(user.name, expected, received.text))),
  });
}

/** The checks of the chat protocol, for any server that speaks it. */
export function chatChecks(options: ChatOptions = {}): ServerCheck[] {
  const connect = (ctx: ServerCheckContext, name: string) => ctx.connect(name, { path: options.path });
  const joinAll = (ctx: ServerCheckContext, names: string[]) => joinInTurn(ctx, names, options);

  return [
    {
      id: 'welcome',
      name: 'welcomes a user by the name it sends first',
      run: async (ctx) => {
        await explaining(join(ctx, 'Alice', options), `A client's first message is its name: answer it with ${quoteText(chatText.welcome('Alice'))}.`);
      },
    },
    {
      id: 'join-notice',
      needs: ['welcome'],
      name: 'tells every other joined user when someone joins',
      run: async (ctx) => {
        await joinAll(ctx, ['Alice', 'Bob', 'Carol']);
      },
    },
    {
      id: 'blank-name',
      needs: ['join-notice'],
      name: 'refuses an empty name and keeps waiting for a name',
      run: async (ctx) => {
        const [bob] = await joinAll(ctx, ['Bob']);
        const alice = connect(ctx, 'Alice');
        for (const blank of ['   ', '']) expectChat(alice.send(blank), chatText.emptyName);
        expectChat(alice.send('Alice'), chatText.welcome('Alice'));
        await explaining(
          alice,
          `A name that is empty after trim() is answered with ${quoteText(chatText.emptyName)}, and the connection stays open, ` +
            'still waiting for a name: the next message is the next try.',
        );
        ctx.note('Bob must now get the notice of Alice joining, and none for the empty names before it.');
        await expectChat(bob!, chatText.joined('Alice'));
      },
    },
    {
      id: 'trims-name',
      needs: ['join-notice'],
      name: 'trims the whitespace around a name',
      run: async (ctx) => {
        const [alice] = await joinAll(ctx, ['Alice']);
        const bob = join(ctx, 'Bob', { ...options, typed: '  Bob \t' });
        expectChat(alice!, chatText.joined('Bob'));
        await Promise.all([bob, alice!]);
        bob.send('Hi, I am Bob.');
        await expectChat(alice!, chatText.line('Bob', 'Hi, I am Bob.'));
      },
    },
    {
      id: 'broadcast',
      needs: ['join-notice'],
      name: 'passes each message on to every other joined user as "[Name]: message"',
      run: async (ctx) => {
        const [alice, bob, carol] = await joinAll(ctx, ['Alice', 'Bob', 'Carol']);
        const rule = (name: string) => `Every message from ${name} after the name goes to every other joined user as ${quoteText(chatText.line(name, 'message'))}.`;
        alice!.send('Hello, everyone!');
        await explaining(Promise.all([bob!, carol!].map((user) => expectChat(user, chatText.line('Alice', 'Hello, everyone!')))), rule('Alice'));
        const spaced = '  spaces kept  ';
        carol!.send(spaced);
        await explaining(Promise.all([alice!, bob!].map((user) => expectChat(user, chatText.line('Carol', spaced)))), rule('Carol'));
      },
    },
    {
      id: 'not-to-sender',
      needs: ['broadcast'],
      name: 'never sends a message back to its sender',
      run: async (ctx) => {
        const [alice, bob] = await joinAll(ctx, ['Alice', 'Bob']);
        alice!.send('Is this thing on?');
        await expectChat(bob!, chatText.line('Alice', 'Is this thing on?'));
        ctx.note("Bob has Alice's message, so the server has passed it on; had it also sent it to Alice, it would reach her before Bob's answer.");
        bob!.send('Loud and clear.');
        await expectChat(alice!, chatText.line('Bob', 'Loud and clear.'));
      },
    },
    {
      id: 'sender-order',
      needs: ['broadcast'],
      name: "keeps each sender's messages in order",
      run: async (ctx) => {
        const [alice, bob, carol] = await joinAll(ctx, ['Alice', 'Bob', 'Carol']);
        const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1} of 30`);
        for (const text of lines) alice!.send(text);
        for (const user of [bob!, carol!]) {
          for (const text of lines) {
            expectChat(user, chatText.line('Alice', text), (got) =>
              lines.some((other) => got === chatText.line('Alice', other)) ? outOfOrder('Alice', text, got.slice('[Alice]: '.length)) : undefined,
            );
          }
        }
        await Promise.all([bob!, carol!]);
      },
    },
    {
      id: 'leave-clean',
      needs: ['join-notice'],
      name: 'tells the others when a user closes the connection',
      run: async (ctx) => {
        const [alice, bob, carol] = await joinAll(ctx, ['Alice', 'Bob', 'Carol']);
        await bob!.close(1000);
        await expectLeave(ctx, 'Bob', [alice!, carol!]);
      },
    },
    {
      id: 'leave-abrupt',
      needs: ['join-notice'],
      name: "tells the others when a user's connection drops without a close frame",
      run: async (ctx) => {
        const [alice, bob, carol] = await joinAll(ctx, ['Alice', 'Bob', 'Carol']);
        await bob!.drop();
        await expectLeave(ctx, 'Bob', [alice!, carol!]);
      },
    },
    {
      id: 'unjoined-silent',
      needs: ['broadcast', 'leave-clean'],
      name: 'sends nothing to a client that has not joined yet',
      run: async (ctx) => {
        // Once its connection is open the server knows it: ws runs the 'connection' handler as it accepts.
        const lurker = connect(ctx, 'Lurker');
        await lurker;
        ctx.note('Lurker is connected but has sent no name. Alice and Bob join, talk, and Bob leaves.');
        const [alice, bob] = await joinAll(ctx, ['Alice', 'Bob']);
        alice!.send('Anyone else here?');
        await expectChat(bob!, chatText.line('Alice', 'Anyone else here?'));
        await bob!.close(1000);
        await expectChat(alice!, chatText.left('Bob'));
        ctx.note("Now Lurker sends its name. Had it been sent any of that, it would arrive before Lurker's welcome.");
        await expectChat(
          lurker.send('Lurker'),
          chatText.welcome('Lurker'),
          (got) =>
            got.startsWith('[Server]: Welcome')
              ? undefined
              : `Lurker had not joined yet (it had sent no name), yet it received ${quoteText(got)}. A connection that is still waiting ` +
                'for its name receives nothing: send chat lines and notices only to joined users (those in your Map of names), ' +
                'not to every connection in wss.clients.',
        );
      },
    },
    {
      id: 'leave-unjoined',
      needs: ['join-notice'],
      name: 'announces nothing when a client that never joined leaves',
      run: async (ctx) => {
        const [alice, bob] = await joinAll(ctx, ['Alice', 'Bob']);
        await connect(ctx, 'Lurker').close(1000);
        await connect(ctx, 'Ghost').drop();
        ctx.note("Lurker and Ghost never joined, and have gone. Carol joins: any notice about them would reach Alice and Bob before Carol's.");
        const carol = join(ctx, 'Carol', options);
        const quiet: Explainer = (got) =>
          /has left the chat\.$/.test(got)
            ? 'A client that never joined (it sent no name) has left, and the server announced it. Only joined users are announced: ' +
              "in the 'close' handler, look the name up first and say nothing when there is none."
            : undefined;
        await Promise.all([carol, ...[alice!, bob!].map((user) => expectChat(user, chatText.joined('Carol'), quiet))]);
      },
    },
    loadCheck(options),
  ];
}

/**
 * How the robustness checks prove a chat server still serves a client: a client that has not
 * joined sends a blank name and gets "Name cannot be empty." back. No other user is involved,
 * so the others' join and leave notices cannot get in the way.
 */
export function servedByChat(options: ChatOptions = {}): Served {
  const refused = (client: ScriptedClient) => expectChat(client.send('   '), chatText.emptyName);
  return {
    open: (ctx, name) => refused(ctx.connect(name, { path: options.path })),
    again: (client) => refused(client),
  };
}

// ---- the load check ----------------------------------------------------------------------

const LOAD_USERS = 50;
const LOAD_MESSAGES = 10;
const LOAD_MS = 5_000;
const LOAD_DELIVERIES = LOAD_USERS * LOAD_MESSAGES * (LOAD_USERS - 1);

/**
 * 50 users each send 10 messages at once; every user must get the other 49 users' 10
 * messages, each sender's in order. Deliveries are counted as they arrive, not kept.
 */
function loadCheck(options: ChatOptions): ServerCheck {
  return {
    id: 'load',
    needs: ['broadcast', 'not-to-sender', 'sender-order'],
    name: `${LOAD_USERS} users each sending ${LOAD_MESSAGES} messages: all ${LOAD_DELIVERIES.toLocaleString('en')} deliveries arrive, in order, within ${seconds(scaled(LOAD_MS))}`,
    run: async (ctx) => {
      const names = Array.from({ length: LOAD_USERS }, (_, i) => `User${String(i + 1).padStart(2, '0')}`);
      ctx.note(`${LOAD_USERS} users join, one after another.`);
      const users = await joinInTurn(ctx, names, options);
      const ms = scaled(LOAD_MS);
      ctx.note(`Every user now sends ${LOAD_MESSAGES} messages at once: ${LOAD_DELIVERIES} deliveries are expected within ${seconds(ms)}.`);
      const tally = new DeliveryTally(names);
      const startedAt = performance.now();
      for (const user of users) for (let n = 1; n <= LOAD_MESSAGES; n++) user.send(loadMessage(n));
      const receiveAll = async (user: ScriptedClient, receiver: number) => {
        for (let n = 0; n < LOAD_MESSAGES * (LOAD_USERS - 1); n++) {
          let message: Message;
          try {
            message = await user.nextMessage('a chat line', Math.max(0, startedAt + ms - performance.now()));
          } catch (failure) {
            // Still open and still running: the deliveries are just not all there in time.
            if (user.isOpen && ctx.server.running) throw tally.tooSlow(ms);
            throw failure;
          }
          tally.record(receiver, message);
        }
      };
      await Promise.all(users.map(receiveAll));
      ctx.note(`All ${LOAD_DELIVERIES} deliveries arrived in ${Math.round(performance.now() - startedAt)} ms.`);
    },
  };
}

const loadMessage = (n: number) => `message ${n} of ${LOAD_MESSAGES}`;
const LOAD_LINE = /^\[([^\]]*)\]: message (\d+) of \d+$/;

/** Counts the deliveries of the load check per (receiver, sender), checking each sender's order. */
class DeliveryTally {
  private readonly index: Map<string, number>;
  /** The next message number each receiver expects from each sender, from 1. */
  private readonly next: Uint8Array;
  private delivered = 0;

  constructor(private readonly names: string[]) {
    this.index = new Map(names.map((name, i) => [name, i]));
    this.next = new Uint8Array(names.length * names.length).fill(1);
  }

  record(receiver: number, message: Message): void {
    const to = this.names[receiver]!;
    if (message.isBinary) throw this.wrong(to, message, explain.binaryReply);
    const match = LOAD_LINE.exec(message.text);
    const sender = match ? this.index.get(match[1]!) : undefined;
    if (!match || sender === undefined) throw this.wrong(to, message);
    if (sender === receiver) throw this.wrong(to, message, explain.senderInBroadcast(to));
    const slot = receiver * this.names.length + sender;
    const number = Number(match[2]);
    if (number !== this.next[slot]) {
      throw new CheckFailure(`${to} received ${this.names[sender]}'s message ${number} when its message ${this.next[slot]} was due.`, {
        expected: `text ${quoteText(chatText.line(this.names[sender]!, loadMessage(this.next[slot]!)))}`,
        received: `text ${quoteText(message.text)}`,
        explanation: outOfOrder(this.names[sender]!, loadMessage(this.next[slot]!), loadMessage(number)),
      });
    }
    this.next[slot] = number + 1;
    this.delivered++;
  }

  tooSlow(ms: number): CheckFailure {
    const short: string[] = [];
    for (const [receiver, name] of this.names.entries()) {
      let missing = 0;
      for (let sender = 0; sender < this.names.length; sender++) {
        if (sender !== receiver) missing += LOAD_MESSAGES + 1 - this.next[receiver * this.names.length + sender]!;
      }
      if (missing > 0) short.push(`${name} is missing ${missing}`);
    }
    return new CheckFailure(
      `Only ${this.delivered} of the ${LOAD_DELIVERIES} deliveries arrived within ${seconds(ms)}` +
        ` (${short.slice(0, 3).join(', ')}${short.length > 3 ? `, and ${short.length - 3} more users are short too` : ''}).`,
      {
        expected: `every user receives the ${LOAD_MESSAGES} messages of each of the other ${LOAD_USERS - 1} users`,
        received: `${this.delivered} deliveries`,
        explanation:
          'A chat server passes each message on at once. If it is slow under load, look for work that blocks the event loop ' +
          '(a busy-wait, synchronous file writes, heavy logging per delivery) or messages dropped on purpose (rate limits).',
      },
    );
  }

  private wrong(to: string, message: Message, explanation?: string): CheckFailure {
    return new CheckFailure(`${to} received a message that is not one of the other users' chat lines.`, {
      expected: `a chat line like ${quoteText(chatText.line('User07', loadMessage(1)))}`,
      received: message.isBinary ? `a binary frame (${message.data.length} bytes)` : `text ${quoteText(message.text)}`,
      explanation,
    });
  }
}

// ---- explanations ------------------------------------------------------------------------

/** Names the likely mistake when `receiver` got `got` instead of `expected`. */
function explainChat(receiver: string, expected: string, got: string): string | undefined {
  const server = '[Server]: ';
  const blankName = /^\[Server\]: (Welcome, \s*!|\s* has joined the chat\.)$/;
  if (got.startsWith(`[${receiver}]: `)) return explain.senderInBroadcast(receiver);
  if (got === chatText.joined(receiver)) {
    return `${receiver} was told that ${receiver} joined. The join notice goes to every other joined user; the newcomer gets only its welcome.`;
  }
  if (got.includes('undefined')) {
    return '"undefined" in the text means the server used the name of a connection that has none: one that has not joined. ' +
      'Look the name up in your Map, and skip connections without one.';
  }
  if (blankName.test(got)) {
    return `A blank name was let in. Trim the first message; if nothing is left, answer ${quoteText(chatText.emptyName)} and keep waiting for a name.`;
  }
  if (expected.startsWith(server) && got === expected.slice(server.length)) return `Messages from the server itself start with ${quoteText(server)}.`;
  if (squeeze(got) === squeeze(expected)) {
    return got.length > expected.length
      ? 'Only spaces differ: trim the name (name.trim()) once, when it arrives, and use the trimmed name everywhere.'
      : 'Only spaces differ: only the name is trimmed. A chat message is passed on exactly as it was sent, spaces included.';
  }
  const welcome = /^\[Server\]: Welcome, (.*)!$/.exec(got);
  if (welcome && expected === chatText.joined(welcome[1]!)) {
    return `The welcome went to ${receiver} too. Send it only to the newcomer (socket.send), and the join notice to the other joined users.`;
  }
  if (welcome || /^\[Server\]: .* has joined the chat\.$/.test(got)) {
    return 'A message from a user who had already joined was taken as a name. Only the first message is the name: remember ' +
      'who has joined (a Map from connection to name) and treat every later message as a chat line.';
  }
  return undefined;
}

function outOfOrder(sender: string, due: string, got: string): string {
  return `${sender}'s messages arrived out of order (${quoteText(got)} came when ${quoteText(due)} was due). Messages from one user ` +
    'must reach every receiver in the order they were sent: pass each one on as it arrives, without waiting on anything (a timer, ' +
    'a database) that can finish in a different order.';
}

async function expectLeave(ctx: ServerCheckContext, name: string, others: ScriptedClient[]): Promise<void> {
  ctx.note(`${name} has gone; every remaining joined user must be told.`);
  await explaining(
    Promise.all(others.map((user) => expectChat(user, chatText.left(name)))),
    `When a joined user disconnects, every remaining joined user receives ${quoteText(chatText.left(name))}. ` + explain.clientNotRemovedOnClose,
  );
}

/** Adds `explanation` to a failure that names no mistake of its own (a silence, say). */
async function explaining(work: PromiseLike<unknown>, explanation: string): Promise<void> {
  try {
    await work;
  } catch (failure) {
    if (failure instanceof CheckFailure) failure.details.explanation ??= explanation;
    throw failure;
  }
}

const squeeze = (text: string) => text.replace(/\s+/g, '');
