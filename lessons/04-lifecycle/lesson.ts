import {
  CheckFailure,
  type CloseInfo,
  defineLesson,
  BUILT_IN_KEYS,
  describeTextChange,
  explain,
  explained,
  type Message,
  Pace,
  robustnessChecks,
  scaled,
  type ScriptedClient,
  seconds,
  type Served,
  type ServerCheckContext,
} from '../../checker/lesson-api.ts';

const WELCOME = /^Welcome! Clients online: (\d+)$/;
const COUNT = /^Clients online: (\d+)$/;
/** The contract's "within one second", for a connection that closes to stop being counted. */
const UNCOUNTED_WITHIN_MS = 1_000;

/** The number in a reply that has the contract's shape, or undefined. */
const numberIn = (pattern: RegExp, message: Message) => {
  const match = message.isBinary ? null : pattern.exec(message.text);
  return match ? Number(match[1]) : undefined;
};

function explainWelcome(expected: number | undefined, received: Message, after?: Leaving): string | undefined {
  const counted = numberIn(WELCOME, received);
  // Counted out twice, the client who left before can be seen only now: its second counting out
  // may come just after the round trip that saw the right number.
  if (counted !== undefined && expected !== undefined && counted < expected && after?.why.countedTwice) {
    return `After ${after.what}, your server counts ${expected - counted} client${expected - counted === 1 ? '' : 's'} too few. ${after.why.countedTwice}`;
  }
  if (counted !== undefined && expected !== undefined && counted === expected - 1) {
    return 'The newcomer counts too: add the socket to your set first, then count for the welcome.';
  }
  if (counted !== undefined && expected !== undefined) return `Your server counted ${counted}, but ${expected} connections were open, the new one included.`;
  if (numberIn(COUNT, received) !== undefined) return 'A new client is greeted first, with "Welcome! Clients online: N", before it asks anything.';
  if (/welcome/i.test(received.text)) return 'The welcome is exactly "Welcome! Clients online: N": same words, capitals and punctuation.';
  return 'Send the welcome in the connection handler, as the first message on the new socket.';
}

function explainCount(expected: number | undefined, received: Message): string | undefined {
  if (numberIn(WELCOME, received) !== undefined) {
    return (
      'This client had been welcomed already, and got another welcome when someone else connected. The welcome goes to the ' +
      'new connection only: socket.send(...) in the connection handler, not a loop over every client.'
    );
  }
  const counted = numberIn(COUNT, received);
  if (counted !== undefined && expected !== undefined) return `Your server counted ${counted}, but ${expected} connections were open.`;
  if (received.text.startsWith('Unknown command')) return 'The message "count" is a command: reply "Clients online: N".';
  return 'The reply to "count" is exactly "Clients online: N" (N is a number, with one space after the colon).';
}

/** Names the missing piece when the server stays silent. */
function explainSilence(failure: CheckFailure): string | undefined {
  if (failure.details.received !== 'nothing') return undefined;
  if (failure.message.includes('Welcome!')) {
    return 'Send the welcome from the connection handler, right after adding the socket to your set: socket.send(`Welcome! Clients online: ${clientsOnline()}`).';
  }
  return 'Listen for messages (socket.on(\'message\', ...)) and answer "count" with socket.send(`Clients online: ${clientsOnline()}`).';
}

/** Queues the welcome, with this exact number of clients online if given; `after` is the client who left last, if any. */
function greeted(client: ScriptedClient, online?: number, after?: Leaving): ScriptedClient {
  if (online === undefined) {
    return client.expectMessage((m) => WELCOME.test(m.text), 'the welcome "Welcome! Clients online: N"', { explain: (m) => explainWelcome(undefined, m) });
  }
  return client.expectText(`Welcome! Clients online: ${online}`, { explain: (m) => explainWelcome(online, m, after) });
}

/** Queues a "count" round trip, expecting this exact number if given. */
function counted(client: ScriptedClient, online?: number): ScriptedClient {
  client.send('count');
  if (online === undefined) {
    return client.expectMessage((m) => COUNT.test(m.text), 'the reply "Clients online: N"', { explain: (m) => explainCount(undefined, m) });
  }
  return client.expectText(`Clients online: ${online}`, { explain: (m) => explainCount(online, m) });
}

/**
 * Asks "count" again and again (each time a full round trip, at a few tens a second) until
 * the server says `expected`, for at most about one second after `what` happened.
 */
async function countFallsTo(client: ScriptedClient, expected: number, what: string, why: { stillCounted: string; countedTwice?: string }): Promise<void> {
  const ms = scaled(UNCOUNTED_WITHIN_MS);
  const giveUpAt = performance.now() + ms;
  const pace = new Pace();
  for (let round = 1; ; round += 1) {
    await pace.next();
    let online = Number.NaN;
    const read = (m: Message) => {
      online = numberIn(COUNT, m) ?? Number.NaN;
      return !Number.isNaN(online);
    };
    await client.send('count').expectMessage(read, 'the reply "Clients online: N"', { explain: (m) => explainCount(undefined, m) });
    if (online === expected) return;
    const details = { expected: `Clients online: ${expected}`, received: `Clients online: ${online}` };
    if (online < expected) {
      throw new CheckFailure(
        `After ${what}, your server counted ${online} clients online, but ${expected} ${expected === 1 ? 'was' : 'were'} still connected.`,
        {
          ...details,
          explanation: why.countedTwice ?? 'A client was counted out more than once.',
        },
      );
    }
    if (performance.now() >= giveUpAt) {
      throw new CheckFailure(
        `After ${what}, your server still counted ${online} clients online ${seconds(ms)} later (asked "count" ${round} times). A connection that closes stops being counted within one second.`,
        {
          ...details,
          explanation: why.stillCounted,
        },
      );
    }
  }
}

/**
 * Messages that are not commands, each a realistic near miss: other words, other capitals,
 * spaces around or inside, the empty message, the built-in keys of an object. The ones that a
 * sloppy "bye" would end the connection on come last.
 */
const NOT_COMMANDS = [
  'hello',
  'counting',
  '',
  '  two  spaces  and <b>HTML</b>  ',
  'COUNT',
  'Count',
  ' count',
  'count ',
  ...BUILT_IN_KEYS,
  'bye now',
  'Bye',
  'bye ',
];

/** How to compare, for a message `text` that a server took for `command`. */
function compareWhole(text: string, command: string): string {
  if (text.trim() === command) return `Compare the message as it came, without trim(): message === '${command}'.`;
  if (text.toLowerCase() === command) return `Commands are lower case, exactly: compare without toLowerCase(), message === '${command}'.`;
  return `Compare the whole message: message === '${command}'.`;
}

function builtInKey(text: string): string {
  return (
    `${JSON.stringify(text)} got no answer. It is not a command, but it is the name of something every JavaScript object ` +
    'has: a table of commands in a plain object ({ count: ..., bye: ... }) finds it too. Compare with === instead, or look ' +
    'commands up in a Map, or with Object.hasOwn(commands, message).'
  );
}

function explainNotCommand(text: string, m: Message): string | undefined {
  if (COUNT.test(m.text)) return `Only the exact message "count" is a command; ${JSON.stringify(text)} is not. ${compareWhole(text, 'count')}`;
  const change = describeTextChange(text, (changed) => m.text === `Unknown command: ${changed}`);
  if (change) return `Your server ${change}. The reply repeats the message exactly as it came: \`Unknown command: ${'${message}'}\`.`;
  return 'Anything that is not a command is answered with "Unknown command: " and the message itself.';
}

const byeStopsServer =
  '"bye" closes one connection, the one that sent it: socket.close(1000, \'Goodbye!\'). The server itself keeps running for ' +
  'everyone else, so no process.exit() and no wss.close() there.';

function explainGoodbye(info: CloseInfo | undefined): string {
  if (!info) return 'On "bye" the server closes the connection itself: socket.close(1000, \'Goodbye!\'). A goodbye message alone leaves it open.';
  if (info.code === 1005)
    return "socket.close() with no arguments sends a close frame without a code (seen as 1005). Pass both: socket.close(1000, 'Goodbye!').";
  if (info.code === 1006)
    return "The connection ended without a close frame: socket.terminate() drops it. socket.close(1000, 'Goodbye!') sends the close frame, with its code and reason.";
  if (info.code !== 1000) return `Code ${info.code} is not a normal closure: use 1000, as in socket.close(1000, 'Goodbye!').`;
  return 'The reason is exactly "Goodbye!" (capital G, an exclamation mark): socket.close(1000, \'Goodbye!\').';
}

/** After a client left: the server still serves an old client and a new one. */
async function stillServing(ctx: ServerCheckContext, oldClient: ScriptedClient, afterWhat: string): Promise<void> {
  await ctx.keepsServing(
    (async () => {
      await counted(oldClient);
      await greeted(ctx.connect('dave'));
    })(),
    afterWhat,
    byeStopsServer,
  );
}

/** How the shared robustness checks prove a client is served: its welcome, then a "count". */
const served: Served = {
  open: (ctx, name) => counted(greeted(ctx.connect(name))),
  again: (_ctx, client) => counted(client),
};

const stillCounted = explain.closedClientNotRemoved;
const stillCountedDropped = `${explain.closedClientNotRemoved} A dropped connection sends no close frame and no last message: 'close' (with code 1006) is the only news of it.`;
const stillCountedClosing = (name: string) =>
  `${name}'s close handshake has started, but the TCP connection has not finished closing (a network that froze). Until it does, ws ` +
  "keeps the socket, CLOSING, in wss.clients, and its 'close' event waits (up to 30 s), so it also stays in your set. It is not open " +
  'any more: count only the sockets whose readyState is WebSocket.OPEN.';
const countedTwice = (name: string) =>
  `Your server counted ${name} out twice. Count a client out in one place, the 'close' handler: it also runs when your own ` +
  'socket.close() ends the connection, so "bye" needs no bookkeeping of its own.';

/** The ways a client leaves, each one checked in turn, and what it means when it is still counted afterwards. */
interface Leaving {
  name: string;
  leave: (client: ScriptedClient) => PromiseLike<void>;
  what: string;
  why: { stillCounted: string; countedTwice?: string };
}

const leavings: Leaving[] = [
  { name: 'alice', leave: (c) => c.close(1000), what: 'alice closed her connection (close frame, code 1000)', why: { stillCounted } },
  { name: 'carol', leave: (c) => c.drop(), what: 'carol dropped her connection (no close frame)', why: { stillCounted: stillCountedDropped } },
  {
    name: 'dave',
    leave: async (c) => {
      await c.send('bye').closure();
    },
    what: 'your server closed dave\'s connection on "bye"',
    why: { stillCounted, countedTwice: countedTwice('dave') },
  },
  {
    name: 'erin',
    leave: (c) => c.closeAndLinger(),
    what: 'erin closed her connection and your server answered her close frame (her TCP connection is still finishing)',
    why: { stillCounted: stillCountedClosing('erin') },
  },
];

export default defineLesson({
  kind: 'server',
  checks: [
    {
      id: 'counts',
      name: 'counts the open connections, the new one included: in the welcome and in reply to "count"',
      fresh: true,
      run: async (ctx) => {
        const steps = async () => {
          const alice = ctx.connect('alice');
          await counted(greeted(alice, 1), 1);
          const bob = ctx.connect('bob');
          await greeted(bob, 2);
          await Promise.all([counted(alice, 2), counted(bob, 2)]);
          await greeted(ctx.connect('carol'), 3);
          await counted(bob, 3);
        };
        await explained(steps(), explainSilence);
      },
    },
    {
      id: 'unknown-command',
      name: 'answers any other message m with "Unknown command: m": near misses, other capitals, spaces, the empty message',
      needs: ['counts'],
      run: async (ctx) => {
        const alice = greeted(ctx.connect('alice'));
        for (const text of NOT_COMMANDS) {
          const steps = alice.send(text).expectText(`Unknown command: ${text}`, { explain: (m) => explainNotCommand(text, m) });
          await explained(steps, (failure) => {
            if (/closed first/.test(failure.message))
              return `Only the exact message "bye" closes the connection; ${JSON.stringify(text)} is not "bye". ${compareWhole(text, 'bye')}`;
            if (failure.details.received === 'nothing' && BUILT_IN_KEYS.includes(text)) return builtInKey(text);
            if (failure.details.received === 'nothing' && text === '') {
              return 'The empty message got no answer. It is a message like any other: it gets "Unknown command: " (with nothing after it).';
            }
            return undefined;
          });
        }
      },
    },
    {
      id: 'bye',
      name: 'closes the connection on "bye" with code 1000 and reason "Goodbye!", and keeps serving the others',
      needs: ['counts'],
      run: async (ctx) => {
        const bob = greeted(ctx.connect('bob'));
        const alice = greeted(ctx.connect('alice'));
        await Promise.all([bob, alice]);
        const goodbye = ctx.keepsServing(alice.send('bye').expectClose({ code: 1000, reason: 'Goodbye!' }), 'alice said "bye"', byeStopsServer);
        await explained(goodbye, () => explainGoodbye(alice.closeInfo));
        await stillServing(ctx, bob, 'alice said "bye"');
      },
    },
    {
      id: 'uncounts',
      name: 'stops counting a client within one second of it leaving: closing, dropping, saying bye, or stuck mid-close',
      fresh: true,
      needs: ['counts', 'bye'],
      run: async (ctx) => {
        // bob stays throughout; the others join one at a time, are counted, and leave, each in its own way.
        const bob = ctx.connect('bob');
        await counted(greeted(bob, 1), 1);
        for (const [index, leaving] of leavings.entries()) {
          const client = ctx.connect(leaving.name);
          await greeted(client, 2, leavings[index - 1]);
          await counted(bob, 2);
          await leaving.leave(client);
          await countFallsTo(bob, 1, leaving.what, leaving.why);
        }
      },
    },
    ...robustnessChecks(served, ['counts']),
  ],
  hints: [
    "Keep the connections in a Set<WebSocket>: clients.add(socket) at the top of the connection handler, clients.delete(socket) in socket.on('close', ...).",
    'Add the new socket before you send the welcome, so that N includes the newcomer: socket.send(`Welcome! Clients online: ${clientsOnline()}`).',
    "Compare the whole message: const command = data.toString(); if (command === 'count') ... else if (command === 'bye') ... else ...",
    "For bye, socket.close(1000, 'Goodbye!') sends the close frame. Don't remove the client there: its 'close' event follows, and your close handler does that.",
    "'close' fires for every ending, clean or dropped. But it fires only when the close handshake has finished: until then the socket is CLOSING. Count only sockets with readyState === WebSocket.OPEN.",
  ],
});
