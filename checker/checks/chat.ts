import type { ServerCheckContext } from '../running/check-context.ts';
import { chatText } from '../core/chat-lines.ts';
import { CheckFailure, explained } from '../core/errors.ts';
import { explain } from '../core/explanations.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';
import type { ScriptedClient } from '../peers/scripted-client.ts';
import { quoteText } from '../core/transcript.ts';
import { BUILT_IN_KEYS, describeTextChange } from '../core/tricky-text.ts';
import { LOAD_MESSAGES, loadCheckName, runLoad, type LoadProtocol } from './chat-load.ts';
import type { Served } from './robustness.ts';

/**
 * The chat protocol of lesson 06 (spoken again by lesson 08's page server), and the checks
 * that prove it. A client's first message is its name; once it has joined, its messages go
 * to every other joined user as "[Name]: message"; joins and leaves are announced.
 *
 * The checks share one server, so each check has its own users, with names no other check
 * uses (its "room"). A check's clients are cut off as it ends, and the server may still be
 * announcing their leaving while the next check's users join: a room sets such late leave
 * notices about an earlier check's users aside, and nothing else.
 *
 * Lesson 08 reuses it all: `chatChecks({ path })`, `robustnessChecks(servedByChat(), …)`, and
 * for checks of its own, `await chatRoom(ctx, ['Alice', 'Bob']).joinInTurn(['Alice', 'Bob'])`.
 */

/** Every line the server sends, built in one place. */

export interface ChatOptions {
  /** The path chat clients connect to, when the server does not take them on "/". */
  path?: string;
}

type Explainer = (got: string) => string | undefined;

/** The users of one check, who connect and join through it. */
export interface ChatRoom {
  /** Opens a client for `name` that has not joined (it sends nothing yet). */
  connect(name: string): ScriptedClient;
  /**
   * Opens a client for `name` with the join round trip queued: it sends its name (or `typed`,
   * which must trim to the name) and expects its welcome. Await it before relying on the join.
   */
  join(name: string, typed?: string): ScriptedClient;
  /**
   * Joins users one after another, each once the one before is in, every earlier user
   * receiving the later ones' join notices. Resolves when all have arrived, so no message is
   * left waiting in any user's inbox.
   */
  joinInTurn(names: string[]): Promise<ScriptedClient[]>;
}

/** The name of every user some room has had; a late leave notice can only be about one of them. */
const everyRoomsUsers = new Set<string>();
const LEAVE_NOTICE = /^\[Server\]: (.*) has left the chat\.$/;

/** A room for the users `cast` (names used by no other check), for one check. */
export function chatRoom(ctx: ServerCheckContext, cast: string[], options: ChatOptions = {}): ChatRoom {
  for (const name of cast) everyRoomsUsers.add(name);
  const mine = new Set(cast);
  const connect = (name: string) => {
    if (!mine.has(name)) throw new Error(`chatRoom: ${name} is not in this room's cast (${cast.join(', ')})`);
    return setAsideLateLeaves(ctx.connect(name, { path: options.path }), mine);
  };
  return {
    connect,
    join: (name, typed) => sendName(connect(name), name, typed),
    joinInTurn: (names) => joinEachInTurn(names, connect),
  };
}

/** Sets aside, on `client`, leave notices about users of other rooms than the one with the users `mine`. */
function setAsideLateLeaves(client: ScriptedClient, mine: ReadonlySet<string> = new Set()): ScriptedClient {
  return client.ignore((message) => {
    const about = LEAVE_NOTICE.exec(message.text)?.[1];
    return about !== undefined && everyRoomsUsers.has(about) && !mine.has(about) ? 'a late leave notice about a user of an earlier check' : undefined;
  });
}

/** ChatRoom.joinInTurn, with each user's connection opened by `open` when its turn comes. */
async function joinEachInTurn(names: string[], open: (name: string) => ScriptedClient): Promise<ScriptedClient[]> {
  const users: ScriptedClient[] = [];
  for (const name of names) {
    const newcomer = sendName(open(name), name);
    for (const user of users) expectChat(user, chatText.joined(name));
    await explained(
      Promise.all([newcomer, ...users]),
      `When ${name} joins, ${name} receives ${quoteText(chatText.welcome(name))} and every other joined user receives ${quoteText(chatText.joined(name))}.`,
    );
    users.push(newcomer);
  }
  return users;
}

/** Queues the join round trip on `user`: it sends its name (`typed`, or the name itself) and expects its welcome. */
function sendName(user: ScriptedClient, name: string, typed = name): ScriptedClient {
  return expectChat(user.send(typed), chatText.welcome(name), (got) =>
    got === chatText.emptyName ? `The server refused ${quoteText(typed)} as empty; only a name that is empty after trim() is refused.` : undefined,
  );
}

/** Queues the expectation that `user`'s next message is `expected`, naming the likely mistake when it is not. */
function expectChat(user: ScriptedClient, expected: string, more?: Explainer): ScriptedClient {
  return user.expectText(expected, {
    explain: (received) => (received.isBinary ? undefined : (more?.(received.text) ?? explainChat(user.name, expected, received.text))),
  });
}

/** The checks of the chat protocol, for any server that speaks it. */
export function chatChecks(options: ChatOptions = {}): ServerCheck[] {
  const room = (ctx: ServerCheckContext, cast: string[]) => chatRoom(ctx, cast, options);

  return [
    {
      id: 'welcome',
      name: 'welcomes a user by the name it sends first',
      run: async (ctx) => {
        await explained(room(ctx, ['Nora']).join('Nora'), `A client's first message is its name: answer it with ${quoteText(chatText.welcome('Nora'))}.`);
      },
    },
    {
      id: 'join-notice',
      needs: ['welcome'],
      name: 'tells every other joined user when someone joins',
      run: async (ctx) => {
        await room(ctx, ['Carol', 'Dave', 'Erin']).joinInTurn(['Carol', 'Dave', 'Erin']);
      },
    },
    {
      id: 'blank-name',
      needs: ['join-notice'],
      name: 'refuses an empty name and keeps waiting for a name',
      run: async (ctx) => {
        const here = room(ctx, ['Frank', 'Grace']);
        const [frank] = await here.joinInTurn(['Frank']);
        const grace = here.connect('Grace');
        for (const blank of ['   ', '']) expectChat(grace.send(blank), chatText.emptyName);
        expectChat(grace.send('Grace'), chatText.welcome('Grace'));
        await explained(
          grace,
          `A name that is empty after trim() is answered with ${quoteText(chatText.emptyName)}, and the connection stays open, ` +
            'still waiting for a name: the next message is the next try.',
        );
        ctx.note('Frank must now get the notice of Grace joining, and none for the empty names before it.');
        await expectChat(frank!, chatText.joined('Grace'));
      },
    },
    {
      id: 'trims-name',
      needs: ['join-notice'],
      name: 'trims the whitespace around a name',
      run: async (ctx) => {
        const here = room(ctx, ['Heidi', 'Ivan']);
        const [heidi] = await here.joinInTurn(['Heidi']);
        const ivan = here.join('Ivan', '  Ivan \t');
        expectChat(heidi!, chatText.joined('Ivan'));
        await Promise.all([ivan, heidi!]);
        ivan.send('Hi, I am Ivan.');
        await expectChat(heidi!, chatText.line('Ivan', 'Hi, I am Ivan.'));
      },
    },
    {
      id: 'any-name',
      needs: ['join-notice'],
      name: 'takes any name as it is, once trimmed: spaces inside, HTML-looking text, names like __proto__ and toString',
      run: async (ctx) => {
        const names = ['Mary  Ann', '<b>Bo</b>', ...BUILT_IN_KEYS];
        const here = room(ctx, names);
        const users: ScriptedClient[] = [];
        for (const name of names) {
          const newcomer = here.join(name);
          for (const user of users) expectChat(user, chatText.joined(name));
          await everyoneGets(
            [newcomer, ...users],
            `When ${name} joins, ${name} receives ${quoteText(chatText.welcome(name))} and every other joined user ${quoteText(chatText.joined(name))}.`,
          );
          users.push(newcomer);
        }
        for (const [i, speaker] of users.entries()) {
          const text = `Hello from ${names[i]}`;
          speaker.send(text);
          const others = users.filter((user) => user !== speaker);
          for (const user of others) expectChat(user, chatText.line(names[i]!, text));
          await everyoneGets(others, `Every message goes to every other joined user, whatever their names.`);
        }
      },
    },
    {
      id: 'broadcast',
      needs: ['join-notice'],
      name: 'passes each message on to every other joined user as "[Name]: message"',
      run: async (ctx) => {
        const [judy, ken, liam] = await room(ctx, ['Judy', 'Ken', 'Liam']).joinInTurn(['Judy', 'Ken', 'Liam']);
        // Only Judy talks here: whether she gets her own lines back is for "not-to-sender" to say.
        const rule = `Every message from Judy after her name goes to every other joined user as ${quoteText(chatText.line('Judy', 'message'))}.`;
        for (const text of ['Hello, everyone!', '  spaces kept  ', '', '   ', '<b>bold</b> & <i>more</i>']) {
          judy!.send(text);
          const blank =
            `Judy's ${text === '' ? 'empty' : 'blank'} message was not passed on as it was. Once a user has joined, every message ` +
            `is a chat line, an empty or blank one too: ${quoteText(chatText.line('Judy', text))}. Only a name is refused for being empty.`;
          const whenBlank = () => (text.trim() === '' ? blank : undefined);
          await explained(Promise.all([ken!, liam!].map((user) => expectChat(user, chatText.line('Judy', text), whenBlank))), whenBlank() ?? rule);
        }
      },
    },
    {
      id: 'not-to-sender',
      needs: ['broadcast'],
      name: 'never sends a message back to its sender',
      run: async (ctx) => {
        const [alice, bob] = await room(ctx, ['Alice', 'Bob']).joinInTurn(['Alice', 'Bob']);
        alice!.send('Is this thing on?');
        await expectChat(bob!, chatText.line('Alice', 'Is this thing on?'));
        ctx.note("Bob has Alice's message, so the server has passed it on; had it also sent it to Alice, it would reach her before Bob's answer.");
        bob!.send('Loud and clear.');
        await expectChat(alice!, chatText.line('Bob', 'Loud and clear.'));
      },
    },
    {
      id: 'name-and-line-at-once',
      needs: ['broadcast'],
      name: 'takes the message right after the name as a chat line, also when both arrive together',
      run: async (ctx) => {
        const here = room(ctx, ['Olga', 'Pete']);
        const [olga] = await here.joinInTurn(['Olga']);
        const pete = here.connect('Pete');
        const hurry = 'Hi Olga, I am in a hurry!';
        ctx.note('Pete sends his name and his first chat line together, without waiting for his welcome');
        pete.sendTogether(['Pete', hurry]);
        const takenAsName = (got: string) =>
          got === chatText.joined(hurry) || got === chatText.welcome(hurry)
            ? "Pete's first chat line, which came right behind his name, was taken as a name too: when it arrived, the server had not " +
              'yet recorded his name. Record the name as soon as the name message is handled, before any await: while a handler ' +
              'waits, the next message is already being handled.'
            : undefined;
        expectChat(pete, chatText.welcome('Pete'));
        expectChat(expectChat(olga!, chatText.joined('Pete')), chatText.line('Pete', hurry), takenAsName);
        await explained(Promise.all([pete, olga!]), `A client's first message is its name, and every later one a chat line, however quickly it follows.`);
      },
    },
    {
      id: 'sender-order',
      needs: ['broadcast'],
      name: "keeps each sender's messages in order",
      run: async (ctx) => {
        const [mia, noah, olivia] = await room(ctx, ['Mia', 'Noah', 'Olivia']).joinInTurn(['Mia', 'Noah', 'Olivia']);
        const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1} of 30`);
        for (const text of lines) mia!.send(text);
        const arrived = new Map<ScriptedClient, number>();
        for (const user of [noah!, olivia!]) {
          for (const [i, text] of lines.entries()) {
            expectChat(user, chatText.line('Mia', text), (got) =>
              lines.some((other) => got === chatText.line('Mia', other)) ? outOfOrder('Mia', text, got.slice('[Mia]: '.length)) : undefined,
            ).step(() => void arrived.set(user, i + 1));
          }
        }
        await explained(Promise.all([noah!, olivia!]), (failure) => {
          const most = Math.max(...arrived.values(), 0);
          return failure.details.received === 'nothing' && most > 0
            ? `Only ${most} of Mia's ${lines.length} lines came through, sent one right after another; the rest never did. Pass every ` +
                'message on as it arrives, however fast they come: nothing dropped, nothing held back (no rate limit in this chat).'
            : undefined;
        });
      },
    },
    {
      id: 'leave-clean',
      needs: ['join-notice'],
      name: 'tells the others when a user closes the connection',
      run: async (ctx) => {
        const [peggy, quinn, rupert] = await room(ctx, ['Peggy', 'Quinn', 'Rupert']).joinInTurn(['Peggy', 'Quinn', 'Rupert']);
        await quinn!.close(1000);
        await expectLeave(ctx, 'Quinn', [peggy!, rupert!]);
      },
    },
    {
      id: 'leave-abrupt',
      needs: ['join-notice'],
      name: "tells the others when a user's connection drops without a close frame",
      run: async (ctx) => {
        const [sybil, trent, uma] = await room(ctx, ['Sybil', 'Trent', 'Uma']).joinInTurn(['Sybil', 'Trent', 'Uma']);
        await trent!.drop();
        await expectLeave(ctx, 'Trent', [sybil!, uma!], `Trent's connection dropped without a close frame (close code 1006): a leave all the same. `);
      },
    },
    {
      id: 'leave-after-error',
      needs: ['leave-clean'],
      name: 'tells the others, once, when a user is cut off for breaking the protocol',
      run: async (ctx) => {
        const here = room(ctx, ['Abel', 'Bella', 'Cyrus', 'Dara']);
        const [abel, bella, cyrus] = await here.joinInTurn(['Abel', 'Bella', 'Cyrus']);
        ctx.note("Bella sends a frame without a mask; ws closes her connection with 1002 (an 'error' event, then 'close')");
        await bella!.sendUnmaskedFrame('hello').closure();
        await ctx.keepsServing(
          expectLeave(ctx, 'Bella', [abel!, cyrus!], 'Bella broke the protocol and ws closed her connection: she has left like anyone else. '),
          'a joined user sent a malformed frame',
          explain.crashAfterBrokenFrame,
        );
        // Bella's connection had ended on the checker's side before Dara connects, and Dara's name
        // takes one more round trip: the server has handled the end of Bella's connection by then.
        ctx.note("Abel and Cyrus have Bella's leave notice. Dara joins now: a second notice about Bella would reach them before Dara's.");
        const twice = (got: string) =>
          got === chatText.left('Bella')
            ? "Bella's leave was announced twice. ws emits 'error' and then 'close' on a connection that broke the protocol: " +
              "announce a leave in one place, the 'close' handler, which follows every ending."
            : undefined;
        await Promise.all([here.join('Dara'), ...[abel!, cyrus!].map((user) => expectChat(user, chatText.joined('Dara'), twice))]);
      },
    },
    {
      id: 'unjoined-silent',
      needs: ['broadcast', 'leave-clean'],
      name: 'sends nothing to a client that has not joined yet',
      run: async (ctx) => {
        const here = room(ctx, ['Lurker', 'Victor', 'Wanda']);
        // Once its connection is open the server knows it: ws runs the 'connection' handler as it accepts.
        const lurker = here.connect('Lurker');
        await lurker;
        ctx.note('Lurker is connected but has sent no name. Victor and Wanda join, talk, and Wanda leaves.');
        const [victor, wanda] = await here.joinInTurn(['Victor', 'Wanda']);
        wanda!.send('Anyone else here?');
        await expectChat(victor!, chatText.line('Wanda', 'Anyone else here?'));
        await wanda!.close(1000);
        await expectChat(victor!, chatText.left('Wanda'));
        ctx.note("Now Lurker sends its name. Had it been sent any of that, it would arrive before Lurker's welcome.");
        await expectChat(lurker.send('Lurker'), chatText.welcome('Lurker'), (got) =>
          got.startsWith('[Server]: Welcome') ? undefined : toUnjoined('Lurker', got),
        );
      },
    },
    {
      id: 'leave-unjoined',
      needs: ['join-notice'],
      name: 'announces nothing when a client that never joined leaves',
      run: async (ctx) => {
        const here = room(ctx, ['Xavier', 'Yara', 'Zoe', 'Ghost', 'Shade']);
        const [xavier, yara] = await here.joinInTurn(['Xavier', 'Yara']);
        const quiet: Explainer = (got) =>
          LEAVE_NOTICE.test(got)
            ? 'A client that never joined (it sent no name) has left, and the server announced it. Only joined users are announced: ' +
              "in the 'close' handler, look the name up first and say nothing when there is none."
            : undefined;
        const leaveAndJoin = async () => {
          await here.connect('Ghost').close(1000);
          await here.connect('Shade').drop();
          ctx.note("Ghost and Shade never joined, and have gone. Zoe joins: any notice about them would reach Xavier and Yara before Zoe's.");
          await Promise.all([here.join('Zoe'), ...[xavier!, yara!].map((user) => expectChat(user, chatText.joined('Zoe'), quiet))]);
        };
        await ctx.keepsServing(
          leaveAndJoin(),
          'a client that never joined left',
          "In the 'close' handler, look the name up first: a connection that never sent a name has none (users.get(socket) is undefined) and nothing to announce.",
        );
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
    open: (ctx, name) => refused(setAsideLateLeaves(ctx.connect(name, { path: options.path }))),
    again: (_ctx, client) => refused(client),
  };
}

/**
 * Awaits the expectations queued on `users`. When the ones who got nothing all have names that
 * are built-in keys of every object (and the others got theirs), the failure says so; any
 * other failure that names no mistake gets `rule`.
 */
async function everyoneGets(users: ScriptedClient[], rule: string): Promise<void> {
  const results = await Promise.allSettled(users);
  const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [{ user: users[i]!, reason: result.reason as unknown }] : []));
  if (failed.length === 0) return;
  const { reason } = failed[0]!;
  if (!(reason instanceof CheckFailure) || reason.details.explanation) throw reason;
  const keyed = failed.every(({ user }) => BUILT_IN_KEYS.includes(user.name));
  const explanation =
    keyed && failed.length < users.length && reason.details.received === 'nothing'
      ? `${failed.map(({ user }) => user.name).join(' and ')} joined, but ${failed.length === 1 ? 'gets' : 'get'} nothing the others get. ` +
        'A name is any text, and __proto__, constructor and toString are names every plain JavaScript object already has: users ' +
        'kept in an object keyed by name ({ [name]: socket }) get lost or mixed up. Keep them in a Map from connection to name.'
      : rule;
  throw new CheckFailure(reason.message, { ...reason.details, explanation });
}

// ---- the load check ----------------------------------------------------------------------

const loadLine = (n: number) => `message ${n} of ${LOAD_MESSAGES}`;
const JOIN_NOTICE = /^\[Server\]: (.*) has joined the chat\.$/;
const LOAD_LINE = /^\[([^\]]*)\]: message (\d+) of \d+$/;

/** The load check (chat-load.ts) in this protocol: every user gets the other users' lines, not its own. */
function loadCheck(options: ChatOptions): ServerCheck {
  const protocol: LoadProtocol = {
    join: (ctx, names) => {
      const room = chatRoom(ctx, names, options);
      return names.map((name) => room.join(name));
    },
    line: loadLine,
    toSender: false,
    read: (message) => {
      if (message.isBinary) return undefined;
      const joiner = JOIN_NOTICE.exec(message.text)?.[1];
      if (joiner !== undefined) return { joined: joiner };
      const line = LOAD_LINE.exec(message.text);
      return line ? { from: line[1]!, number: Number(line[2]) } : undefined;
    },
    describe: ({ from, number }) => `text ${quoteText(chatText.line(from, loadLine(number)))}`,
    outOfOrder: (from, due, got) => outOfOrder(from, loadLine(due), loadLine(got)),
  };
  return {
    id: 'load',
    needs: ['broadcast', 'not-to-sender', 'sender-order', 'unjoined-silent'],
    name: loadCheckName(protocol),
    run: (ctx) => runLoad(ctx, protocol),
  };
}

// ---- explanations ------------------------------------------------------------------------

/** Names the likely mistake when `receiver` got `got` instead of `expected`. */
function explainChat(receiver: string, expected: string, got: string): string | undefined {
  const server = '[Server]: ';
  const blankName = /^\[Server\]: (Welcome, \s*!|\s* has joined the chat\.)$/;
  if (got.startsWith(`[${receiver}]: `)) return explain.senderInBroadcast(receiver);
  const line = /^\[(.*)\]: (.*)$/s.exec(got);
  if (line && line[1] === line[2]) {
    return (
      `${line[1]}'s name was passed on as a chat line too. The first message is only the name: once it is handled, ` +
      'return, so that it is not broadcast as well.'
    );
  }
  if (got === chatText.joined(receiver)) {
    return `${receiver} was told that ${receiver} joined. The join notice goes to every other joined user; the newcomer gets only its welcome.`;
  }
  if (got.includes('undefined')) {
    return (
      '"undefined" in the text means the server used the name of a connection that has none: one that has not joined. ' +
      'Look the name up in your Map, and skip connections without one.'
    );
  }
  if (blankName.test(got)) {
    return `A blank name was let in. Trim the first message; if nothing is left, answer ${quoteText(chatText.emptyName)} and keep waiting for a name.`;
  }
  if (expected.startsWith(server) && got === expected.slice(server.length)) return `Messages from the server itself start with ${quoteText(server)}.`;
  if (squeeze(got) === squeeze(expected)) {
    if (got.length > expected.length) return 'Only spaces differ: trim the name (name.trim()) once, when it arrives, and use the trimmed name everywhere.';
    return expected.startsWith(server)
      ? 'Only spaces differ: a name keeps the spaces inside it. trim() takes away only those around it; pass the name on as it is otherwise.'
      : 'Only spaces differ, and only the name is trimmed: a chat message is passed on exactly as it was sent, spaces included.';
  }
  const change = describeTextChange(expected, (changed) => changed === got);
  if (change)
    return `The server ${change}. Names and messages are passed on exactly as they came (only a name is trimmed, around it): no escaping, no tidying.`;
  if (expected.startsWith('[Server]: Welcome, ') && !got.startsWith('[Server]: Welcome, ') && got !== chatText.emptyName) {
    return toUnjoined(receiver, got);
  }
  const welcome = /^\[Server\]: Welcome, (.*)!$/.exec(got);
  if (welcome && expected === chatText.joined(welcome[1]!)) {
    return `The welcome went to ${receiver} too. Send it only to the newcomer (socket.send), and the join notice to the other joined users.`;
  }
  if (welcome || /^\[Server\]: .* has joined the chat\.$/.test(got)) {
    return (
      'A message from a user who had already joined was taken as a name. Only the first message is the name: remember ' +
      'who has joined (a Map from connection to name) and treat every later message as a chat line.'
    );
  }
  return undefined;
}

function toUnjoined(receiver: string, got: string): string {
  return (
    `${receiver} had not joined yet (its name had not been answered), yet it received ${quoteText(got)}. A connection that ` +
    'is still waiting for its name receives nothing: send chat lines and notices only to joined users (those in your Map ' +
    'of names), not to every connection in wss.clients.'
  );
}

function outOfOrder(sender: string, due: string, got: string): string {
  return (
    `${sender}'s messages arrived out of order (${quoteText(got)} came when ${quoteText(due)} was due). Messages from one user ` +
    'must reach every receiver in the order they were sent: pass each one on as it arrives, without waiting on anything (a timer, ' +
    'a database) that can finish in a different order.'
  );
}

async function expectLeave(ctx: ServerCheckContext, name: string, others: ScriptedClient[], how = ''): Promise<void> {
  ctx.note(`${name} has gone; every remaining joined user must be told.`);
  await explained(
    Promise.all(others.map((user) => expectChat(user, chatText.left(name)))),
    `${quoteText(chatText.left(name))} must reach every remaining joined user. ${how}${explain.closedClientNotRemoved}`,
  );
}

const squeeze = (text: string) => text.replace(/\s+/g, '');
