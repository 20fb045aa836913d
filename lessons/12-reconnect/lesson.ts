import {
  CheckFailure,
  type ClientCheck,
  type ClientCheckContext,
  type CloseRule,
  type Conversation,
  defineLesson,
  expectCleanExit,
  expectNormalClose,
  expectPrinted,
  explained,
  quoteText,
  type RunningProgram,
  runClientDemo,
  scaled,
  stage,
  startConversation,
} from '../../checker/lesson-api.ts';

/**
 * Lesson 12: the checker plays a lesson 09 chat server that also understands `since`, types
 * as Alice on the client's standard input, and ends, refuses and restores the connection.
 *
 * Waits are judged on the transcript's clock: the wait before attempt n runs from the moment
 * the checker ended the connection, or refused the attempt before (both noted before the client
 * can know of them), to the moment the next opening handshake arrives. That gap can only be
 * longer than the client's own wait, never shorter, so the lower bound (half the wait) is held
 * exactly, bar a timer's millisecond; the upper bound allows TOLERANCE_MS more for the
 * scheduling of two processes on a busy machine.
 */
const NAME = 'Alice';
/** The lesson's waits: short, so that a handful of attempts takes well under a second. */
const BASE_MS = scaled(50);
const MAX_MS = scaled(400);
/** How much later than its longest allowed wait an attempt may arrive: the time to notice the end and connect, on a busy machine. */
const TOLERANCE_MS = scaled(150);
/** A timer may fire a millisecond early on the checker's clock (both round to whole milliseconds). */
const EARLY_MS = 2;

interface Backoff {
  base: number;
  max: number;
}

const LESSON_BACKOFF: Backoff = { base: BASE_MS, max: MAX_MS };
const backoffEnv = (backoff: Backoff) => ({ RECONNECT_BASE_MS: String(backoff.base), RECONNECT_MAX_MS: String(backoff.max) });

/** The contract's wait before attempt n: min(BASE × 2^(n-1), MAX), which jitter may shorten to half. */
function allowedWait(n: number, backoff: Backoff): { longest: number; shortest: number } {
  const longest = Math.min(backoff.base * 2 ** (n - 1), backoff.max);
  return { longest, shortest: longest / 2 };
}

function describeRule(backoff: Backoff): string {
  return `RECONNECT_BASE_MS=${backoff.base} × 2^(attempt−1), at most RECONNECT_MAX_MS=${backoff.max}, shortened by jitter to no less than half`;
}

// ---- the server's messages ------------------------------------------------------------------

const serverSays = {
  welcome: (users: string[] = []) => JSON.stringify({ type: 'welcome', name: NAME, users }),
  message: (id: number, from: string, text: string) => JSON.stringify({ type: 'message', id, from, text, at: Date.now() }),
  joined: (name: string) => JSON.stringify({ type: 'joined', name }),
  left: (name: string) => JSON.stringify({ type: 'left', name }),
  error: (code: string, message: string) => JSON.stringify({ type: 'error', code, message }),
};

/** How message `id` from `from` is printed. */
const printed = (from: string, text: string) => `[${from}] ${text}`;

// ---- one run of the client, joined as Alice ----------------------------------------------------

/** A run of the client in the chat, and what it has been shown so far. */
interface Chat extends Conversation {
  /** The highest message id the client has printed: the `since` of its next join. */
  lastId: number;
  /** The messages the client has printed, by id, as the server sent them. */
  shown: Map<number, { from: string; text: string }>;
  /** The lines the client has sent as says, on any connection. */
  said: string[];
}

/**
 * Starts the client (WS_URL pointing at the checker's server), types the name, and answers the
 * join with a welcome that the client must print.
 */
async function joinChat(ctx: ClientCheckContext): Promise<Chat> {
  const conversation = await startConversation(ctx, (client) => client.writeLine(NAME));
  ctx.note(`the checker plays the lesson 09 chat server (with "since") and has typed ${NAME} on your client's standard input`);
  const chat: Chat = { ...conversation, lastId: 0, shown: new Map(), said: [] };
  await expectJoin(chat, 'its first join');
  const from = conversation.client.lines().length;
  await conversation.connection.send(serverSays.welcome(['Bob']));
  await explained(
    conversation.client.waitForLine((line) => line.text.includes(NAME), `a line with the name ${NAME}, for the welcome`, { from }),
    `Print a line for the welcome, with the user's name in it: case 'welcome': console.log(\`Welcome, \${message.name}!\`).`,
  );
  return chat;
}

/** The chain of checks that continue one run: joined once, then on with the same chat. */
const joined = stage(joinChat);

/**
 * The client's next message must be its join as Alice; after the first, with `since` the
 * highest id it printed (none, or 0, when it printed none).
 */
async function expectJoin(chat: Chat, what: string): Promise<void> {
  const join = await explained(
    chat.connection.nextJson(
      { type: 'join', name: NAME },
      {
        explain: (value) =>
          value === undefined ? 'Every message is JSON now (lesson 09): send the name as ws.send(JSON.stringify({ type: "join", name })).' : undefined,
      },
    ),
    (failure) =>
      failure.details.received === 'nothing'
        ? `The first line typed is the name: send it as a join as soon as the connection is open (and again after every reconnection).`
        : undefined,
  );
  const since = join.since;
  if (chat.lastId === 0) {
    if (since === undefined || since === 0) return;
    throw new CheckFailure(`Your client's join (${what}) had "since": ${JSON.stringify(since)}, but it had printed no message yet.`, {
      expected: `{"type":"join","name":"${NAME}"} (no "since", or "since": 0)`,
      received: JSON.stringify(join),
      explanation: '"since" is the highest message id your client has printed; before the first message there is none.',
    });
  }
  if (since === chat.lastId) return;
  throw new CheckFailure(
    since === undefined
      ? `Your client joined again without "since" (${what}), so the server cannot know what it missed.`
      : `Your client joined again with "since": ${JSON.stringify(since)} (${what}); the highest message id it had printed was ${chat.lastId}.`,
    {
      expected: `{"type":"join","name":"${NAME}","since":${chat.lastId}}`,
      received: JSON.stringify(join),
      explanation:
        'Keep the highest id of the messages you print (lastId = message.id) and join again with it: ' +
        'JSON.stringify({ type: "join", name, since: lastId }). The server then sends what came after it.',
    },
  );
}

/** The server sends message `id`, which the client must print (`from` = the line after which it must appear). */
async function sendMessage(chat: Chat, id: number, from: string, text: string): Promise<number> {
  const start = chat.client.lines().length;
  await chat.connection.send(serverSays.message(id, from, text));
  const at = await expectPrinted(
    chat.client,
    printed(from, text),
    start,
    'Print every chat message as [name] text: console.log(`[${message.from}] ${message.text}`).',
  );
  chat.lastId = Math.max(chat.lastId, id);
  chat.shown.set(id, { from, text });
  return at;
}

/** The client's next message must be the say of `text`, exactly as typed. */
async function expectSay(chat: Chat, text: string, explainOther?: (said: unknown) => string | undefined): Promise<void> {
  await chat.connection.nextJson(
    { type: 'say', text },
    {
      explain: (value) => {
        if (value === undefined) return 'Every message is JSON now: send a typed line as ws.send(JSON.stringify({ type: "say", text: line })).';
        const said = typeof value === 'object' && value !== null && 'text' in value ? value.text : undefined;
        return explainOther?.(said) ?? (typeof said === 'string' && chat.said.includes(said) ? resent(said) : undefined);
      },
    },
  );
  chat.said.push(text);
}

function resent(text: string): string {
  return (
    `Your client sent ${quoteText(text)} again. It went out on a connection that then dropped: the server may well have it, and sending it ` +
    'again could show it twice. Queue only the lines typed while disconnected, and never queue a line again once sent (at-most-once delivery).'
  );
}

/**
 * Proves by ordering that the client has sent nothing since its last expected message: the
 * pong to a ping comes after everything it sent before it saw the ping.
 */
async function expectNothingMore(chat: Chat, rule: string, explanation: string): Promise<void> {
  await chat.connection.ping();
  const extra = chat.connection.unread();
  if (extra.length === 0) return;
  const texts = extra.map((message) => message.text);
  const again = texts.map((text) => jsonText(text)).find((text) => text !== undefined && chat.said.includes(text));
  throw new CheckFailure(`Your client sent ${texts.length === 1 ? 'a message' : `${texts.length} messages`} ${rule}.`, {
    expected: 'nothing',
    received: texts.join('\n'),
    explanation: again === undefined ? explanation : resent(again),
  });
}

/** The text of a say message, or undefined. */
function jsonText(frame: string): string | undefined {
  try {
    const value: unknown = JSON.parse(frame);
    return typeof value === 'object' && value !== null && 'text' in value && typeof value.text === 'string' ? value.text : undefined;
  } catch {
    return undefined;
  }
}

// ---- waits and attempts -------------------------------------------------------------------------

interface AttemptRule {
  /** The attempt's number since the last successful connection (1 for the first try after a loss). */
  n: number;
  /** When the wait began on the checker's clock: the connection's end, or the refusal of the attempt before. */
  since: number;
  /** What began the wait, for messages: "the checker dropped the connection". */
  after: string;
  backoff: Backoff;
  /** Why the client may have waited too long, when the usual reasons do not fit. */
  tooLate?: string;
  /** The waits of the attempts before it since the same loss, to which this one's is added: to tell a fixed wait from jitter. */
  earlier?: number[];
}

/**
 * Waits for the client's next connection attempt and judges its wait: no shorter than half of
 * the contract's wait, and at most the wait plus TOLERANCE_MS. Fails as soon as it is late.
 */
async function expectAttempt(ctx: ClientCheckContext, chat: Conversation, rule: AttemptRule): Promise<number> {
  const { longest, shortest } = allowedWait(rule.n, rule.backoff);
  const due = rule.since + longest + TOLERANCE_MS;
  const attempt = await chat.server.nextAttempt(Math.max(0, due - ctx.transcript.now()));
  const window = `${Math.round(shortest)}–${Math.round(longest)} ms`;
  if (!attempt) {
    if (!chat.client.running) {
      throw chat.client.stoppedFailure(`instead of trying to connect again (attempt ${rule.n}, after ${rule.after})`, exitedInsteadOfRetrying)!;
    }
    throw new CheckFailure(
      `Your client did not try to connect again within ${Math.round(longest + TOLERANCE_MS)} ms after ${rule.after}: attempt ${rule.n} is due after a wait of ${window}.`,
      {
        expected: `connection attempt ${rule.n} after ${window} (${describeRule(rule.backoff)}), plus up to ${TOLERANCE_MS} ms for scheduling`,
        received: `no attempt within ${Math.round(longest + TOLERANCE_MS)} ms\n${chat.client.outputSummary()}`,
        explanation:
          rule.tooLate ??
          (rule.n === 1 && !printedReconnecting(chat.client)
            ? 'When the connection ends (ws.on(\'close\', ...)), print a line with "Reconnecting", and call your connect function again after the wait: setTimeout(connect, wait).'
            : `The wait grows from RECONNECT_BASE_MS and stops growing at RECONNECT_MAX_MS: wait = Math.min(BASE * 2 ** (attempt - 1), MAX). Read both from process.env, and cap the wait before adding jitter.`),
      },
    );
  }
  const waited = attempt.at - rule.since;
  ctx.note(`attempt ${rule.n} came ${Math.round(waited)} ms after ${rule.after} (allowed: ${window}, plus ${TOLERANCE_MS} ms for scheduling)`);
  if (waited < shortest - EARLY_MS) {
    throw new CheckFailure(
      `Your client tried to connect again ${Math.round(waited)} ms after ${rule.after}, but attempt ${rule.n} must wait at least ${Math.round(shortest)} ms.`,
      {
        expected: `attempt ${rule.n} after ${window} (${describeRule(rule.backoff)})`,
        received: `attempt ${rule.n} after ${Math.round(waited)} ms`,
        explanation: doesNotGrow(rule, waited)
          ? 'The wait must grow: each failed attempt doubles it (BASE * 2 ** (attempt - 1)) up to RECONNECT_MAX_MS. A fixed wait hammers a server that is down as hard as ever.'
          : waited >= allowedWait(rule.n - 1, rule.backoff).shortest && rule.n > 1
            ? 'The wait doubles with every failed attempt: BASE * 2 ** (attempt - 1), up to RECONNECT_MAX_MS; growing by a fixed step (BASE * attempt) is too slow. ' +
              'And jitter may take off at most half of it: wait = full / 2 + Math.random() * (full / 2).'
            : 'Jitter may shorten a wait by at most half: wait = full / 2 + Math.random() * (full / 2). Math.random() * full can make it almost nothing, ' +
              'and then every client that lost the server comes back at once. (And the wait doubles with every failed attempt: BASE * 2 ** (attempt - 1).)',
      },
    );
  }
  rule.earlier?.push(waited);
  return attempt.at;
}

/**
 * Whether the waits so far look fixed rather than too short by jitter: the contract's wait has
 * grown since the first attempt, but the client's waits have stayed within half of each other.
 */
function doesNotGrow(rule: AttemptRule, waited: number): boolean {
  const waits = [...(rule.earlier ?? []), waited];
  if (waits.length < 3 || allowedWait(rule.n, rule.backoff).longest === allowedWait(1, rule.backoff).longest) return false;
  return Math.max(...waits) <= 1.5 * Math.min(...waits) + EARLY_MS;
}

const exitedInsteadOfRetrying =
  'A lost connection is not the end: print "Reconnecting" and try again after a wait. Make sure nothing exits the program on \'close\' ' +
  "(process.exit) and that the WebSocket has an 'error' listener: a refused attempt emits 'error', and without a listener that crashes the program.";

function printedReconnecting(client: RunningProgram, from = 0): boolean {
  return client
    .lines()
    .slice(from)
    .some((line) => line.text.includes('Reconnecting'));
}

/** The client must print a line containing "Reconnecting" (from line `from` on), after `what`. */
async function expectReconnecting(client: RunningProgram, from: number, what: string): Promise<void> {
  await explained(
    client.waitForLine((line) => line.text.includes('Reconnecting'), 'a line containing "Reconnecting"', { from }),
    () =>
      client.running
        ? `When the connection ends (${what}), tell the user and try again: ws.on('close', () => { console.log('Reconnecting…'); setTimeout(connect, wait); }).`
        : (client.stoppedFailure('')?.details.explanation ?? exitedInsteadOfRetrying),
  );
}

/**
 * Ends the connection as a network failure would (no close frame), the server refusing
 * every attempt with 503 meanwhile when `refuse` is set. Returns when it ended, on the transcript's clock.
 */
async function dropConnection(chat: Conversation, options: { refuse?: boolean; stopListening?: boolean } = {}): Promise<number> {
  if (options.refuse) chat.server.refuse(503);
  if (options.stopListening) chat.server.stopListening();
  await chat.connection.drop();
  return chat.connection.endingAt!;
}

/**
 * Takes the connection attempts 1 to `refused` (each refused with 503, each judged), then
 * accepts attempt `refused + 1` (judged too) and returns the new connection, which has joined
 * again with `since` and been welcomed, and printed "Reconnected".
 */
async function reconnectAfter(ctx: ClientCheckContext, chat: Chat, endedAt: number, refused: number, backoff: Backoff, after: string): Promise<void> {
  let since = endedAt;
  let what = after;
  const earlier: number[] = [];
  const printedFrom = chat.client.lines().length;
  for (let n = 1; n <= refused + 1; n++) {
    if (n === refused + 1) chat.server.accept();
    since = await expectAttempt(ctx, chat, { n, since, after: what, backoff, earlier });
    what = `attempt ${n} was refused`;
  }
  const { connection } = await chat.server.nextConnection();
  chat.connection = connection;
  await expectJoin(chat, 'after reconnecting');
  await connection.send(serverSays.welcome());
  await explained(
    chat.client.waitForLine((line) => line.text.includes('Reconnected'), 'a line containing "Reconnected"', { from: printedFrom }),
    "Once a new connection opens, tell the user: ws.on('open', () => { if (attempt > 0) console.log('Reconnected.'); attempt = 0; ... }).",
  );
}

// ---- closing --------------------------------------------------------------------------------------

const quitRule: CloseRule = {
  after: 'after the line /quit',
  stillOpen: "The line /quit means: leave the chat. Check for it before sending: if (line === '/quit') { ws.close(1000); ... }",
  sentInstead: (text) =>
    text.includes('/quit') ? 'Your client sent /quit to the server. /quit is a command for your client: close the connection instead.' : undefined,
};

/**
 * The server closes with `code` and `reason`: the client must print a line with "Disconnected"
 * and the reason, and exit by itself with status 0, never reconnecting.
 */
async function expectFinalClose(chat: Chat, code: number, reason: string, meaning: string): Promise<void> {
  const from = chat.client.lines().length;
  await chat.connection.close(code, reason);
  const dontReconnect = `A close with ${code} (${meaning}) is the server's answer, not an accident: print "Disconnected" with the reason, and do not reconnect. Check the code in ws.on('close', (code, reason) => ...): if (code === 1000 || code === 1008) ...`;
  const line = await explained(
    chat.client.waitForLine((l) => l.text.includes('Disconnected') || l.text.includes('Reconnecting'), 'a line containing "Disconnected"', { from }),
    `When the server closes the connection with ${code}, print a line with "Disconnected" and the reason: console.log(\`Disconnected: \${reason}\`).`,
  );
  if (!line.text.includes('Disconnected')) {
    throw new CheckFailure(`Your client printed ${quoteText(line.text)} after the server closed the connection with ${code}. It must not reconnect.`, {
      expected: `a line containing "Disconnected" and ${quoteText(reason)}, then the exit`,
      received: line.text,
      explanation: dontReconnect,
    });
  }
  if (!line.text.includes(reason)) {
    throw new CheckFailure(`Your client's line ${quoteText(line.text)} does not say the reason the server gave, ${quoteText(reason)}.`, {
      expected: `a line containing "Disconnected" and ${quoteText(reason)}`,
      received: line.text,
      explanation: "The reason comes with the close: ws.on('close', (code, reason) => console.log(`Disconnected: ${reason.toString()}`)).",
    });
  }
  await expectCleanExit(
    chat.client,
    `after the server closed the connection with ${code}`,
    `${dontReconnect} Then close the readline interface (rl.close()) so that nothing keeps Node.js running.`,
  );
}

// ---- the checks -----------------------------------------------------------------------------------

/**
 * Each check below runs beside the others, from the start, with runs of its own: most of their
 * time is the client's waits, which then overlap. (Each joins first, so a client that cannot join
 * fails them too, each saying why.)
 */
const alongside: Pick<ClientCheck, 'concurrent'> = { concurrent: true };

const checks: ClientCheck[] = [
  {
    id: 'joins',
    name: 'joins with the first line typed as {"type":"join","name":...}, and prints the welcome with the name',
    run: async (ctx) => {
      await joined(ctx);
    },
  },
  {
    id: 'prints-messages',
    needs: ['joins'],
    continues: true,
    name: 'prints "[Bob] hi" for a message, "* Carol joined", "* Carol left" and "! <message>" for an error, each on its own line',
    run: async (ctx) => {
      const chat = await joined(ctx);
      await sendMessage(chat, 1, 'Bob', 'Hi Alice! <b>😀</b>');
      for (const [message, line] of [
        [serverSays.joined('Carol'), '* Carol joined'],
        [serverSays.left('Carol'), '* Carol left'],
        [serverSays.error('bad-field', '"text" must be a string of 1 to 1000 characters.'), '! "text" must be a string of 1 to 1000 characters.'],
      ] as const) {
        const from = chat.client.lines().length;
        await chat.connection.send(message);
        await expectPrinted(chat.client, line, from, `Print each kind of message as the contract says: here ${quoteText(line)}.`);
      }
    },
  },
  {
    id: 'says-lines',
    needs: ['joins'],
    continues: true,
    name: 'sends every later non-empty line as {"type":"say","text":...}, exactly as typed',
    run: async (ctx) => {
      const chat = await joined(ctx);
      const lines = ['Hello everyone!', '  spaced  out'];
      chat.client.writeLines([lines[0]!, '', lines[1]!]);
      for (const line of lines) {
        await explained(
          expectSay(chat, line, (said) => (said === '' ? 'Skip empty lines: if (line.trim() === "") return;' : undefined)),
          (failure) => (failure.details.received === 'nothing' ? 'Send each line as it is read, once the client has joined: rl.on("line", ...).' : undefined),
        );
      }
      // The server's copies, with their ids, which the client prints: the highest id is now 3.
      await sendMessage(chat, 2, NAME, lines[0]!);
      await sendMessage(chat, 3, NAME, lines[1]!);
    },
  },
  {
    id: 'reconnects',
    needs: ['joins'],
    continues: true,
    name: 'after a dropped connection: prints "Reconnecting", waits, reconnects, prints "Reconnected", joins with "since", prints each replayed message once',
    run: async (ctx) => {
      const chat = await joined(ctx);
      if (chat.lastId < 3) {
        // A run of its own (the check before did not pass): print some messages first.
        for (let id = chat.lastId + 1; id <= 3; id++) await sendMessage(chat, id, 'Bob', `message ${id}`);
      }
      const from = chat.client.lines().length;
      ctx.note('the connection drops, as when the network fails: no close frame');
      const endedAt = await dropConnection(chat);
      await expectReconnecting(chat.client, from, 'here, it dropped');
      await reconnectAfter(ctx, chat, endedAt, 0, LESSON_BACKOFF, 'the checker dropped the connection');
      const three = chat.shown.get(3)!;
      ctx.note('the server sends message 3 again, which your client printed before the drop (it cannot know that), then 4 and 5');
      const replayed = chat.client.lines().length;
      await chat.connection.send(serverSays.message(3, three.from, three.text));
      await sendMessage(chat, 4, 'Bob', 'Welcome back, Alice.');
      const lastAt = await sendMessage(chat, 5, 'Bob', 'You missed nothing much.');
      // Message 3 came before 4 and 5 on one connection: printed at all, it was printed before 5.
      const between = chat.client.lines().slice(replayed, lastAt + 1);
      if (between.some((line) => line.text.trimEnd().endsWith(printed(three.from, three.text)))) {
        throw new CheckFailure('Your client printed message 3 again: it had printed it before the connection dropped.', {
          expected: 'each message id printed once: 4 and 5, and not 3 again',
          received: between.map((line) => line.text).join('\n'),
          explanation:
            'After a reconnection the server may send a message you already printed (it cannot know what reached you). Print a message ' +
            'only when its id is higher than the highest you printed: if (message.id <= lastId) return; lastId = message.id;',
        });
      }
      await expectNothingMore(
        chat,
        'after the new welcome, although nothing was typed while it was disconnected',
        'Only lines typed while disconnected are sent after a welcome.',
      );
    },
  },
  {
    id: 'queues-offline-lines',
    needs: ['joins'],
    continues: true,
    name: 'lines typed while disconnected are sent in order right after the new welcome, once; a line sent before the drop is not sent again',
    run: async (ctx) => {
      const chat = await joined(ctx);
      const before = 'This went out before the drop';
      chat.client.writeLine(before);
      await expectSay(chat, before);
      ctx.note('the server never confirms that line; the connection drops, and the server refuses new connections for a while');
      const from = chat.client.lines().length;
      const endedAt = await dropConnection(chat, { refuse: true });
      await expectReconnecting(chat.client, from, 'here, it dropped');
      const offline = ['Typed offline, first', 'Typed offline, second'];
      chat.client.writeLine(offline[0]!);
      chat.client.writeLine(offline[1]!);
      const refusedAt = await expectAttempt(ctx, chat, { n: 1, since: endedAt, after: 'the checker dropped the connection', backoff: LESSON_BACKOFF });
      chat.server.accept();
      await expectAttempt(ctx, chat, { n: 2, since: refusedAt, after: 'attempt 1 was refused', backoff: LESSON_BACKOFF });
      const { connection } = await chat.server.nextConnection();
      chat.connection = connection;
      await expectJoin(chat, 'after reconnecting');
      await expectNothingMore(
        chat,
        'after its join, before the server had welcomed it',
        'The lines typed offline go right after the new welcome, not as soon as the connection opens: until the server has ' +
          'welcomed you again, you are not in the chat, and a say would be refused with "not-joined". Send the queue in the welcome handler.',
      );
      await connection.send(serverSays.welcome());
      const notResent = (said: unknown) => (said === before ? resent(before) : undefined);
      for (const line of offline) {
        await explained(expectSay(chat, line, notResent), (failure) =>
          failure.details.received === 'nothing' || /closed first/.test(failure.message)
            ? `The lines typed while the client was disconnected were lost. Keep them in a queue (outbox.push(line)) and send them, in order, right after the next welcome.`
            : undefined,
        );
      }
      const after = 'And this one once we are back';
      chat.client.writeLine(after);
      await expectSay(chat, after, (said) =>
        said === before
          ? notResent(said)
          : offline.includes(String(said))
            ? `Your client sent ${quoteText(String(said))} twice. Empty the queue as you send it: for (const text of outbox.splice(0)) ws.send(...).`
            : undefined,
      );
    },
  },
  {
    id: 'quit-command',
    needs: ['joins'],
    continues: true,
    name: 'on the line /quit, closes normally (1000) and exits with status 0',
    run: async (ctx) => {
      const chat = await joined(ctx);
      chat.client.writeLine('/quit');
      await expectNormalClose(chat, quitRule);
      ctx.note('your client closed the connection after /quit; the checker now ends its input, as a script piped in would (lesson 07)');
      chat.client.endInput();
      await expectCleanExit(chat.client, 'after /quit');
    },
  },
  {
    id: 'backs-off',
    ...alongside,
    name: `while the server refuses (HTTP 503), waits ${describeRule(LESSON_BACKOFF)} before each attempt`,
    run: async (ctx) => {
      const chat = await joinChat(ctx);
      await sendMessage(chat, 1, 'Bob', 'The server will be down for a moment.');
      const endedAt = await dropConnection(chat, { refuse: true });
      await reconnectAfter(ctx, chat, endedAt, 3, LESSON_BACKOFF, 'the checker dropped the connection');
    },
  },
  {
    id: 'caps-the-wait',
    ...alongside,
    env: backoffEnv({ base: scaled(30), max: scaled(30) }),
    name: 'never waits longer than RECONNECT_MAX_MS, nor less than half of it, however many attempts fail',
    run: async (ctx) => {
      const backoff = { base: scaled(30), max: scaled(30) };
      ctx.note(`this run has RECONNECT_BASE_MS=${backoff.base} and RECONNECT_MAX_MS=${backoff.max}: every wait is ${backoff.max / 2}–${backoff.max} ms`);
      const chat = await joinChat(ctx);
      const endedAt = await dropConnection(chat, { refuse: true });
      await reconnectAfter(ctx, chat, endedAt, 14, backoff, 'the checker dropped the connection');
    },
  },
  {
    id: 'resets-after-success',
    ...alongside,
    env: backoffEnv({ base: scaled(20), max: scaled(1000) }),
    name: 'after a successful reconnection, the next loss starts again from the first wait',
    run: async (ctx) => {
      const backoff = { base: scaled(20), max: scaled(1000) };
      ctx.note(`this run has RECONNECT_BASE_MS=${backoff.base} and RECONNECT_MAX_MS=${backoff.max}`);
      const chat = await joinChat(ctx);
      const endedAt = await dropConnection(chat, { refuse: true });
      await reconnectAfter(ctx, chat, endedAt, 4, backoff, 'the checker dropped the connection');
      ctx.note('your client is back; the connection drops again: its next wait is the first one again');
      const again = await dropConnection(chat);
      await expectAttempt(ctx, chat, {
        n: 1,
        since: again,
        after: 'the checker dropped the connection again',
        backoff,
        tooLate:
          'A successful connection resets the attempt count: in ws.on("open", ...), attempt = 0. Without that, every later loss waits as long as the worst one so far.',
      });
    },
  },
  {
    id: 'retries-first-connection',
    ...alongside,
    name: 'when the first connection fails (nothing listening yet), prints "Reconnecting" and tries again until it connects',
    run: async (ctx) => {
      const server = await ctx.startServer();
      server.stopListening();
      ctx.note('your client starts while nothing listens at WS_URL yet, as when the server is still starting');
      const client = ctx.launch(server.url);
      client.writeLine(NAME);
      await explained(
        client.waitForLine((line) => line.text.includes('Reconnecting'), 'a line containing "Reconnecting"'),
        (failure) =>
          /exited/.test(failure.message)
            ? 'A failed first connection is retried the same way as a lost one: in this lesson, "Could not connect" is not the end. Let the \'close\' handler schedule the next attempt whether or not the connection ever opened.'
            : undefined,
      );
      await server.listenAgain();
      const { connection } = await server.nextConnection();
      const chat: Chat = { server, client, connection, lastId: 0, shown: new Map(), said: [] };
      await expectJoin(chat, 'once the server was there');
    },
  },
  {
    id: 'quit-while-waiting',
    ...alongside,
    env: backoffEnv({ base: scaled(20_000), max: scaled(20_000) }),
    name: 'on /quit in the middle of a wait, exits with status 0 at once',
    run: async (ctx) => {
      ctx.note('this run has RECONNECT_BASE_MS=RECONNECT_MAX_MS=20000: after the drop, your client waits 10 to 20 seconds');
      const chat = await joinChat(ctx);
      const from = chat.client.lines().length;
      await dropConnection(chat, { stopListening: true });
      await expectReconnecting(chat.client, from, 'here, it dropped');
      chat.client.writeLine('/quit');
      ctx.note('the checker ends the input after /quit, as a script piped in would (lesson 07)');
      chat.client.endInput();
      await expectCleanExit(
        chat.client,
        'after /quit, in the middle of a wait',
        'The pending reconnection keeps Node.js running: /quit (and the end of input) must cancel it, clearTimeout(retry), and make sure ' +
          "nothing starts again (a 'leaving' flag that the 'close' handler checks). There is no connection to close in the middle of a wait.",
      );
    },
  },
  {
    id: 'stops-on-1000-and-1008',
    ...alongside,
    name: 'when the server closes with 1000 or 1008, prints "Disconnected" and the reason, exits with status 0, and does not reconnect',
    run: async (ctx) => {
      const normal = await joinChat(ctx);
      ctx.note('the server closes the connection with 1000: the conversation is over');
      await expectFinalClose(normal, 1000, 'The chat is closing for the night', 'a normal close');
      const refused = await joinChat(ctx);
      ctx.note('a second run: the server closes the connection with 1008, a policy violation');
      await expectFinalClose(refused, 1008, 'Name not allowed here', 'a policy violation');
    },
  },
];

export default defineLesson({
  kind: 'client',
  // Waits held to 150 ms: a lesson that loads the machine beside it would make the client late.
  racesTheClock: true,
  env: backoffEnv(LESSON_BACKOFF),
  checks,
  hints: [
    "Make one function, connect(), that creates the WebSocket and adds its listeners; call it at the start, and again from the 'close' listener after a wait (setTimeout(connect, wait)). Create the readline interface once, outside it.",
    'The wait before attempt n: const full = Math.min(BASE * 2 ** (n - 1), MAX); const wait = full / 2 + Math.random() * (full / 2). Count failed attempts in a variable, and set it back to 0 when a connection opens.',
    "In the 'close' listener, look at the code first: 1000 and 1008 mean \"do not come back\" (print Disconnected and the reason, rl.close()); anything else means reconnect. And /quit sets a flag, clears the timer and closes: check the flag in 'close'.",
    'Keep lastId, the highest message id you printed. Print a message only if message.id > lastId, then set lastId. Join again with { type: "join", name, since: lastId }.',
    "A line typed while you are not joined goes into an array; in the 'welcome' handler, send them all, in order, and empty it (outbox.splice(0)). A line already sent is never queued again, even if the connection dropped right after.",
  ],
  demo: (port) =>
    runClientDemo({
      client: '12',
      server: '09',
      port,
      typing: true,
      intro:
        'Type your name, then chat; /quit or Ctrl-D leaves. Lesson 09\'s server ignores "since", so nothing is replayed here. ' +
        'To watch a reconnection, run a server you can stop (npx tsx solutions/09-json-protocol/server.ts) and this client against it ' +
        '(npx tsx solutions/12-reconnect/client.ts), then stop the server with Ctrl-C and start it again.',
    }),
});
