import type { ServerCheckContext } from '../running/check-context.ts';
import { chatText } from '../core/chat-lines.ts';
import { explained } from '../core/errors.ts';
import { explain } from '../core/explanations.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';
import type { ScriptedClient } from '../peers/scripted-client.ts';
import { quoteText } from '../core/transcript.ts';
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
      id: 'broadcast',
      needs: ['join-notice'],
      name: 'passes each message on to every other joined user as "[Name]: message"',
      run: async (ctx) => {
        const [judy, ken, liam] = await room(ctx, ['Judy', 'Ken', 'Liam']).joinInTurn(['Judy', 'Ken', 'Liam']);
        // Only Judy talks here: whether she gets her own lines back is for "not-to-sender" to say.
        const rule = `Every message from Judy after her name goes to every other joined user as ${quoteText(chatText.line('Judy', 'message'))}.`;
        for (const text of ['Hello, everyone!', '  spaces kept  ']) {
          judy!.send(text);
          await explained(Promise.all([ken!, liam!].map((user) => expectChat(user, chatText.line('Judy', text)))), rule);
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
      id: 'sender-order',
      needs: ['broadcast'],
      name: "keeps each sender's messages in order",
      run: async (ctx) => {
        const [mia, noah, olivia] = await room(ctx, ['Mia', 'Noah', 'Olivia']).joinInTurn(['Mia', 'Noah', 'Olivia']);
        const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1} of 30`);
        for (const text of lines) mia!.send(text);
        for (const user of [noah!, olivia!]) {
          for (const text of lines) {
            expectChat(user, chatText.line('Mia', text), (got) =>
              lines.some((other) => got === chatText.line('Mia', other)) ? outOfOrder('Mia', text, got.slice('[Mia]: '.length)) : undefined,
            );
          }
        }
        await Promise.all([noah!, olivia!]);
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
    again: (client) => refused(client),
  };
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
    return `${line[1]}'s name was passed on as a chat line too. The first message is only the name: once it is handled, ` +
      'return, so that it is not broadcast as well.';
  }
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
      : 'Only spaces differ, and only the name is trimmed: a chat message is passed on exactly as it was sent, spaces included.';
  }
  if (expected.startsWith('[Server]: Welcome, ') && !got.startsWith('[Server]: Welcome, ') && got !== chatText.emptyName) {
    return toUnjoined(receiver, got);
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

function toUnjoined(receiver: string, got: string): string {
  return `${receiver} had not joined yet (its name had not been answered), yet it received ${quoteText(got)}. A connection that ` +
    'is still waiting for its name receives nothing: send chat lines and notices only to joined users (those in your Map ' +
    'of names), not to every connection in wss.clients.';
}

function outOfOrder(sender: string, due: string, got: string): string {
  return `${sender}'s messages arrived out of order (${quoteText(got)} came when ${quoteText(due)} was due). Messages from one user ` +
    'must reach every receiver in the order they were sent: pass each one on as it arrives, without waiting on anything (a timer, ' +
    'a database) that can finish in a different order.';
}

async function expectLeave(ctx: ServerCheckContext, name: string, others: ScriptedClient[], how = ''): Promise<void> {
  ctx.note(`${name} has gone; every remaining joined user must be told.`);
  await explained(
    Promise.all(others.map((user) => expectChat(user, chatText.left(name)))),
    `${quoteText(chatText.left(name))} must reach every remaining joined user. ${how}${explain.closedClientNotRemoved}`,
  );
}

const squeeze = (text: string) => text.replace(/\s+/g, '');
