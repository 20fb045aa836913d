import { CheckFailure, explained } from '../core/errors.ts';
import { describeTextChange } from '../core/tricky-text.ts';
import { quoteText } from '../core/transcript.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';
import type { ScriptedClient } from '../peers/scripted-client.ts';
import type { Message } from '../peers/scripted-peer.ts';
import type { Served } from './robustness.ts';

/**
 * Checks for a server that answers every text message with one reply computed from it
 * (lesson 01's echo, lesson 02's uppercase): the contract's whole robustness list.
 */
export interface ReplyRule {
  /** The exact reply the contract asks for. */
  reply: (message: string) => string;
  /** Names the learner's mistake from a wrong reply, or undefined when none fits. */
  explain?: (sent: string, received: Message) => string | undefined;
}

const NO_REPLY =
  "Your server received the message but sent nothing back. Inside wss.on('connection', (socket) => ...), listen with " +
  "socket.on('message', (data) => ...) and answer on that same socket with socket.send(...).";

/** A 64 KiB message made of varied ASCII text, so a truncated or reordered reply shows. */
const LARGE_MESSAGE = Array.from({ length: 65_536 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
export const UNICODE_MESSAGE = 'Grüße aus der Straße! Ünïcödé, 日本語, emoji 👋🏽🎉';
/** Letters written as a base letter and a combining accent (e + U+0301): a program that normalizes the text changes them. */
const DECOMPOSED_MESSAGE = 'Cafe\u0301 Zoe\u0308, decomposed';
/** Messages a program passes on wrongly when it tidies them up: spaces around and inside, tabs, line breaks, HTML-looking text. */
const AWKWARD_MESSAGES = ['  spaces around,  and  inside  ', 'a tab\there,\na line break,\r\nand one more\n', '<b>bold</b> & "quoted" <script>x()</script>'];

export function replyChecks(rule: ReplyRule): ServerCheck[] {
  /** The clients that have had a reply: one that gets none after that, the server stopped answering. */
  const answered = new WeakSet<ScriptedClient>();
  /**
   * Queues the expectation of the reply to `sent` on `client`. `others` are messages sent by other
   * clients, and `earlier` this client's own sent before `sent`: a reply to one of those is named.
   */
  const expectReply = (client: ScriptedClient, sent: string, others: string[] = [], earlier: string[] = []) =>
    client
      .expectText(rule.reply(sent), {
        explain: (received) => {
          if (others.some((other) => rule.reply(other) === received.text)) {
            return `That reply was meant for another client. Reply on the connection the message came from (socket.send), not to every client in wss.clients.`;
          }
          if (earlier.some((other) => rule.reply(other) !== rule.reply(sent) && rule.reply(other) === received.text)) return OUT_OF_ORDER;
          const change = received.isBinary ? undefined : describeTextChange(sent, (changed) => rule.reply(changed) === received.text);
          return change ? explainChange(change) : rule.explain?.(sent, received);
        },
        explainSilence: () => {
          if (sent === '') return `The empty message got no reply. It is a message like any other: the reply is ${quoteText(rule.reply(''))}.`;
          return answered.has(client) ? STOPPED_ANSWERING(client.name) : undefined;
        },
      })
      .step(() => void answered.add(client));
  const roundTrip = (client: ScriptedClient, text: string) => expectReply(client.send(text), text);

  return [
    {
      id: 'replies',
      name: 'replies to a text message with a text message',
      run: async (ctx) => {
        await explained(roundTrip(ctx.connect('alice'), 'hello'), (failure) => (failure.details.received === 'nothing' ? NO_REPLY : undefined));
      },
    },
    {
      id: 'empty-message',
      needs: ['replies'],
      name: 'replies to the empty message',
      run: async (ctx) => {
        await roundTrip(ctx.connect('alice'), '');
      },
    },
    {
      id: 'unicode',
      needs: ['replies'],
      name: 'keeps Unicode and emoji intact, decomposed accents included',
      run: async (ctx) => {
        const alice = ctx.connect('alice');
        await roundTrip(alice, UNICODE_MESSAGE);
        await roundTrip(alice, DECOMPOSED_MESSAGE);
      },
    },
    {
      id: 'whole-message',
      needs: ['replies'],
      name: 'takes each message whole and as it is: spaces around and inside, tabs, line breaks, HTML-looking text',
      run: async (ctx) => {
        const alice = ctx.connect('alice');
        for (const text of AWKWARD_MESSAGES) await roundTrip(alice, text);
      },
    },
    {
      id: 'large-message',
      needs: ['replies'],
      name: 'replies to a 64 KiB message in full',
      run: async (ctx) => {
        await explained(roundTrip(ctx.connect('alice'), LARGE_MESSAGE), (failure) => (/code 1009/.test(failure.message) ? TOO_BIG : undefined));
      },
    },
    {
      id: 'burst',
      needs: ['replies'],
      name: 'answers a burst of 100 messages, in order',
      run: async (ctx) => {
        const alice = ctx.connect('alice');
        const messages = Array.from({ length: 100 }, (_, i) => `message ${i + 1}`);
        for (const text of messages) alice.send(text);
        for (const [i, text] of messages.entries()) expectReply(alice, text, [], messages.slice(0, i).concat(messages.slice(i + 1)));
        await alice;
      },
    },
    {
      id: 'two-clients',
      needs: ['replies'],
      name: 'talks to two clients at once, each getting only its own replies',
      run: async (ctx) => {
        const alice = ctx.connect('alice');
        const bob = ctx.connect('bob');
        await Promise.all([alice, bob]);
        const rounds = Array.from({ length: 10 }, (_, i) => i + 1);
        // Interleaved on the wire: a reply sent to the wrong client shows up out of order.
        for (const i of rounds) {
          alice.send(`alice ${i}`);
          bob.send(`bob ${i}`);
        }
        const said = (name: string) => rounds.map((i) => `${name} ${i}`);
        for (const i of rounds) {
          expectReply(alice, `alice ${i}`, said('bob'));
          expectReply(bob, `bob ${i}`, said('alice'));
        }
        // Both heard out: when one client's replies all went to the other, that one's wrong reply
        // names the mistake, and on a busy machine the other's silence may be noticed first.
        const failures = (await Promise.allSettled([alice, bob])).flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
        if (failures.length > 0) throw failures.find((failure) => failure instanceof CheckFailure && failure.details.received !== 'nothing') ?? failures[0];
      },
    },
  ];
}

const OUT_OF_ORDER =
  'The replies came back out of order. One connection delivers messages in order, so answer each one as it arrives, ' +
  'without waiting on anything (a timer, a promise) that can finish in a different order.';
const STOPPED_ANSWERING = (name: string) =>
  `Your server answered ${name}'s earlier message, but not this one: it stopped listening to ${name}, or stopped answering. ` +
  "socket.on('message', ...) hears every message; socket.once('message', ...) only the first.";
const TOO_BIG =
  'Your server closed the connection with 1009, "message too big": its maxPayload is smaller than 64 KiB (65,536 bytes). ' +
  "Leave ws's default (100 MiB), or set maxPayload to at least 65536.";

function explainChange(change: string): string {
  return (
    `Your server changed the message before answering: it ${change}. A WebSocket message arrives whole, line breaks ` +
    'and all, and the contract works on exactly that text: data.toString(), with nothing trimmed, split, escaped or normalized.'
  );
}

/** How the robustness checks prove such a server still serves a client: one round trip. */
export function servedByReplies(rule: ReplyRule): Served {
  const roundTrip = (client: ScriptedClient, text: string) => client.send(text).expectText(rule.reply(text));
  return {
    open: (ctx, name) => roundTrip(ctx.connect(name), `ping from ${name}`),
    again: (_ctx, client, round) => roundTrip(client, `ping ${round} from ${client.name}`),
  };
}
