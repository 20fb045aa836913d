import { explained } from '../core/errors.ts';
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

export function replyChecks(rule: ReplyRule): ServerCheck[] {
  const expectReply = (client: ScriptedClient, sent: string, others: string[] = []) =>
    client.expectText(rule.reply(sent), {
      explain: (received) =>
        others.some((other) => rule.reply(other) === received.text)
          ? `That reply was meant for another client. Reply on the connection the message came from (socket.send), not to every client in wss.clients.`
          : rule.explain?.(sent, received),
    });
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
      name: 'keeps Unicode and emoji intact',
      run: async (ctx) => {
        await roundTrip(ctx.connect('alice'), UNICODE_MESSAGE);
      },
    },
    {
      id: 'large-message',
      needs: ['replies'],
      name: 'replies to a 64 KiB message in full',
      run: async (ctx) => {
        await roundTrip(ctx.connect('alice'), LARGE_MESSAGE);
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
        for (const text of messages) expectReply(alice, text);
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
        await Promise.all([alice, bob]);
      },
    },
  ];
}

/** How the robustness checks prove such a server still serves a client: one round trip. */
export function servedByReplies(rule: ReplyRule): Served {
  const roundTrip = (client: ScriptedClient, text: string) => client.send(text).expectText(rule.reply(text));
  return {
    open: (ctx, name) => roundTrip(ctx.connect(name), `ping from ${name}`),
    again: (client, round) => roundTrip(client, `ping ${round} from ${client.name}`),
  };
}
