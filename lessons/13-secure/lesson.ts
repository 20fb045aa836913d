import {
  CheckFailure,
  defineLesson,
  explained,
  jsonChat,
  robustnessChecks,
  runSecureChatDemo,
  type Message,
  type ScriptedClient,
  type ServerCheck,
  type ServerCheckContext,
  type Served,
} from '../../checker/lesson-api.ts';
import ENV, { ALLOWED, ada, alan, edsger, grace, STAGGERED, type User, USERS } from './environment.ts';

/**
 * Lesson 13: the lesson 09 chat behind a door. The door (tokens, origins) is checked with
 * hand-made upgrade requests, so that a refusal's status line is seen as it is sent; the rest
 * with scripted clients that present a token, the users of environment.ts.
 */

const LIMIT = 10;
const BURST = 30;
const MAX_BYTES = 4096;

const readsEnv =
  'Read TOKENS and ALLOWED_ORIGINS from the environment (the checker sets ' +
  `TOKENS=${JSON.stringify(ENV.TOKENS)} and ALLOWED_ORIGINS=${JSON.stringify(ENV.ALLOWED_ORIGINS)}); ` +
  'split TOKENS at the commas, and each pair at its first ":" (names may hold spaces).';

// ---- connecting ---------------------------------------------------------------------------

interface ConnectHow {
  /** Where the token goes (default the query). */
  via?: 'query' | 'header';
  /** The Origin header; null sends none (default: the first allowed origin, as a page would). */
  origin?: string | null;
  /** The client's name in the transcript (default the user's first name, lower case). */
  as?: string;
  /** Keeps the notices of others coming and going (set aside by default: other checks' users come and go). */
  keepNotices?: boolean;
  /** Collects every message this client receives, from the first (the welcome) on, as [where, text]. */
  collect?: [string, string][];
}

function nick(user: User): string {
  return user.name.split(' ')[0]!.toLowerCase();
}

/** Opens a client presenting `user`'s token; notices about arrivals and departures are set aside (other checks' users come and go). */
function connectAs(ctx: ServerCheckContext, user: User, how: ConnectHow = {}): ScriptedClient {
  const via = how.via ?? 'query';
  const origin = how.origin === null ? undefined : (how.origin ?? ALLOWED[0]);
  const client = ctx.connect(how.as ?? nick(user), {
    path: via === 'query' ? `/?token=${encodeURIComponent(user.token)}` : '/',
    wsOptions: { headers: via === 'header' ? { Authorization: `Bearer ${user.token}` } : {}, origin },
  });
  const collect = how.collect;
  if (collect) client.watch((message) => collect.push([`a message to ${client.name}`, message.text]));
  return how.keepNotices ? client : client.ignore((message) => (isNotice(message) ? 'a notice of someone coming or going' : undefined));
}

function isNotice(message: Message): boolean {
  const type = jsonField(message, 'type');
  return type === 'joined' || type === 'left';
}

function jsonField(message: Message, key: string): unknown {
  try {
    const value: unknown = JSON.parse(message.text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

function describeHow(user: User, how: ConnectHow): string {
  const where = (how.via ?? 'query') === 'query' ? `?token=${user.token}` : `Authorization: Bearer ${user.token}`;
  const origin = how.origin === null ? 'no Origin' : `Origin: ${how.origin ?? ALLOWED[0]}`;
  return `${where} and ${origin}`;
}

/**
 * `user` connects and is welcomed at once, by the name its token gives, without sending
 * anything. (Wrapped in an object: a scripted client is awaitable, and an async function
 * returning one would await it away.)
 */
async function welcomed(ctx: ServerCheckContext, user: User, how: ConnectHow = {}): Promise<{ client: ScriptedClient }> {
  const client = connectAs(ctx, user, how);
  try {
    await client.expectJson(jsonChat.welcome(user.name), { explain: (value) => explainWelcome(user, value) });
  } catch (failure) {
    if (failure instanceof CheckFailure && /could not open/.test(failure.message)) {
      throw new CheckFailure(failure.message, { ...failure.details, explanation: explainRefusedGoodRequest(user, how, failure.message) });
    }
    if (failure instanceof CheckFailure && failure.details.received === 'nothing') {
      throw new CheckFailure(failure.message, { ...failure.details, explanation: welcomeAtOnce });
    }
    throw failure;
  }
  return { client };
}

function explainRefusedGoodRequest(user: User, how: ConnectHow, message: string): string {
  const status = /response: (\d{3})/.exec(message)?.[1];
  const sent = `The request had ${describeHow(user, how)}, all of it right.`;
  if (status === '403') {
    return how.origin === null
      ? `${sent} A request without an Origin header is not from a browser page: it needs only the token. Refuse an Origin only when there is one and it is not allowed.`
      : `${sent} ${JSON.stringify(how.origin ?? ALLOWED[0])} is in ALLOWED_ORIGINS. ${readsEnv}`;
  }
  if (status === '401') {
    return (how.via ?? 'query') === 'header'
      ? `${sent} Read the header "Authorization: Bearer <token>" too: request.headers.authorization (Node gives header names in lower case), the token after "Bearer ", without the space.`
      : `${sent} Read the token from the query: new URL(request.url, "http://localhost").searchParams.get("token"). ${readsEnv}`;
  }
  return sent;
}

function explainWelcome(user: User, value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (message.type === 'error' && message.code === 'name-taken') {
    return 'A token may be used by several connections at once (a laptop and a phone): both are that user. The name check of lesson 09 does not apply.';
  }
  if (message.type === 'welcome' && message.name !== user.name) {
    return `The name comes from the token: ${user.token} belongs to ${JSON.stringify(user.name)}. ${readsEnv}`;
  }
  return undefined;
}

// ---- the door, by hand ---------------------------------------------------------------------

interface Knock {
  /** What the request is, as the failure tells it. */
  what: string;
  path?: string;
  headers?: Record<string, string>;
  /** What a server that lets it in likely did wrong. */
  mistake: string;
}

/** Sends a hand-made upgrade request and expects `status`, then the end of the TCP connection: no WebSocket. */
async function refused(ctx: ServerCheckContext, knock: Knock, status: 401 | 403): Promise<void> {
  const peer = await ctx.rawConnect('door');
  ctx.note(`the checker knocks with ${knock.what}`);
  const { response } = await peer.upgrade({ path: knock.path ?? '/', headers: knock.headers });
  if (response.status === status) {
    await peer.expectEnd(`the server to hang up after its ${status}`);
    return;
  }
  const got = response.status === 101 ? 'let it in: 101 Switching Protocols, a WebSocket' : `answered ${JSON.stringify(response.statusLine)}`;
  throw new CheckFailure(`An upgrade request with ${knock.what} must be refused with ${status}, before any WebSocket exists, but the server ${got}.`, {
    expected: `HTTP/1.1 ${status}, then the connection closed`,
    received: response.statusLine || 'no HTTP response',
    explanation:
      response.status === 101
        ? `${knock.mistake} Decide in the HTTP server's 'upgrade' event (or ws's verifyClient), and write the ${status} there; a WebSocket closed after it opened has already let the request in.`
        : knock.mistake,
  });
}

const withToken = (user: User, extra: Record<string, string> = {}) => ({ path: `/?token=${user.token}`, headers: extra });

// ---- the rate limit -------------------------------------------------------------------------

interface BurstResult {
  /** For each message of the burst, in order: passed on (its copy came back) or refused (rate-limited). */
  outcomes: ('passed' | 'refused')[];
  /** The `at` of the first copy, the server's clock when it passed it on. */
  firstAt: number | undefined;
  /** The `at` of every copy. */
  passedAt: number[];
  /** Date.now() when the last answer arrived. */
  lastAnswerAt: number;
}

/** `client` sends `count` says in one write, tagged `tag`; resolves with what became of each. */
async function burst(client: ScriptedClient, tag: string, count = BURST): Promise<BurstResult> {
  const texts = Array.from({ length: count }, (_, i) => `${tag} ${i + 1}`);
  client.sendBurst(texts.map((text) => jsonChat.say(text)));
  const outcomes: BurstResult['outcomes'] = [];
  const passedAt: number[] = [];
  const mine = (message: Message) => jsonField(message, 'type') === 'message' && !texts.includes(String(jsonField(message, 'text')));
  while (outcomes.length < count) {
    const message = await client.nextMessage(`the answers to the burst "${tag}" (${outcomes.length} of ${count} so far)`);
    if (mine(message)) continue; // someone else's chat line
    const type = jsonField(message, 'type');
    if (type === 'message' && jsonField(message, 'text') === texts[outcomes.length]) {
      passedAt.push(Number(jsonField(message, 'at')));
      outcomes.push('passed');
    } else if (type === 'error' && jsonField(message, 'code') === 'rate-limited') {
      outcomes.push('refused');
    } else {
      throw new CheckFailure(`${client.name} sent ${count} messages at once and expected, for each in order, its copy or the error "rate-limited".`, {
        expected: `the copy of ${JSON.stringify(texts[outcomes.length])}, or {"type":"error","code":"rate-limited",...}`,
        received: message.text.slice(0, 240),
        explanation:
          type === 'error'
            ? 'A message over the limit is refused with the code "rate-limited", and nothing else.'
            : 'Each message of the burst gets one answer, in order: passed on to everyone (the sender too), or refused with "rate-limited".',
      });
    }
  }
  return { outcomes, firstAt: passedAt[0], passedAt, lastAnswerAt: Date.now() };
}

function passedCount(result: BurstResult): number {
  return result.outcomes.filter((outcome) => outcome === 'passed').length;
}

/** The first LIMIT of a fresh burst pass, the rest are refused. */
function expectFreshBurst(result: BurstResult, when: string): void {
  const passed = passedCount(result);
  const firstRefused = result.outcomes.indexOf('refused');
  if (passed === LIMIT && firstRefused === LIMIT) return;
  throw new CheckFailure(
    `Of a burst of ${BURST} messages ${when}, the first ${LIMIT} must be passed on and the other ${BURST - LIMIT} refused with "rate-limited"; ${passed} were passed on.`,
    {
      expected: `${LIMIT} passed on, then ${BURST - LIMIT} refused`,
      received: summarise(result.outcomes),
      explanation:
        passed > LIMIT
          ? `Count the messages each connection passes on, and refuse the ${LIMIT + 1}th within a second with {"type":"error","code":"rate-limited",...}, without passing it on.`
          : passed === 0
            ? 'Nothing passed: the limit must let 10 messages a second through. Is the limiter shared by every connection, or does it count refused messages against a connection forever?'
            : `The limit is ${LIMIT} messages: ${passed} passed. Check the comparison (>= against >) and where the count starts.`,
    },
  );
}

function summarise(outcomes: string[]): string {
  const runs: string[] = [];
  let i = 0;
  while (i < outcomes.length) {
    let j = i;
    while (j < outcomes.length && outcomes[j] === outcomes[i]) j++;
    runs.push(`${j - i} ${outcomes[i]}`);
    i = j;
  }
  return runs.join(', then ');
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The most passed on in any span of time, against what a sliding window of 10 a second or a
 * token bucket of 10 refilled at 10 a second can pass in that span (10, plus one per 100 ms,
 * plus one for the clock's rounding). Times are the messages' `at`: the server's own clock.
 */
function worstSpan(times: number[]): { count: number; span: number; allowed: number } | undefined {
  const sorted = [...times].sort((x, y) => x - y);
  let worst: { count: number; span: number; allowed: number } | undefined;
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + LIMIT; j < sorted.length; j++) {
      const span = sorted[j]! - sorted[i]!;
      const allowed = LIMIT + Math.floor((LIMIT * span) / 1000) + 1;
      const count = j - i + 1;
      if (count > allowed && (!worst || count - allowed > worst.count - worst.allowed)) worst = { count, span, allowed };
    }
  }
  return worst;
}

/** How many times a part of the rate-window check aims again when a busy machine answered too late to tell. */
const AIMS = 3;
/** The staggered bursts: one connection starts every STAGGER_MS, and bursts again GAP_MS later. */
const STAGGER_MS = 140;
const GAP_MS = 335;
/** The staggered bursts straddle every moment of a span this long: a second, and a setInterval's drift. */
const COVERED_MS = 1_020;

/** The bursts one connection sent, and what became of them. */
interface Connection {
  client: ScriptedClient;
  rounds: BurstResult[];
}

/**
 * A count that starts again a second after the connection opened or after its first message
 * (a timer, or a `windowStart`): the checker sends one message at once, then a burst late in
 * that second and another just after it, on the connection's clock. The count passes 9 and
 * 10; a sliding window or a token bucket about 10 of the two. When the late burst was answered
 * after that second may have ended (a busy machine), the checker aims again on a new connection.
 */
async function ownSecondEdge(ctx: ServerCheckContext, user: User): Promise<Connection[]> {
  const tried: Connection[] = [];
  for (let aim = 1; aim <= AIMS; aim++) {
    const openedAt = Date.now();
    const { client } = await welcomed(ctx, user, { as: `${nick(user)}-${aim}` });
    const first = await burst(client, `own ${aim} first`, 1);
    // The count began between openedAt and the first answer: so its second ends between those plus 1000 ms.
    await wait(openedAt + 780 - Date.now());
    const late = await burst(client, `own ${aim} late`, LIMIT);
    await wait(first.lastAnswerAt + 1005 - Date.now());
    const early = await burst(client, `own ${aim} early`, LIMIT);
    tried.push({ client, rounds: [first, late, early] });
    if (late.lastAnswerAt < openedAt + 1000) break;
    ctx.note(`${client.name}'s late burst was answered too late to be sure it came before the second's end: the checker aims again`);
  }
  return tried;
}

/**
 * A count that starts again at moments shared by every connection (each calendar second, or a
 * setInterval started with the server): connection i bursts at i × STAGGER_MS and again GAP_MS
 * later. Between a first burst's last answer and the second burst, the count cannot tell which
 * side of its reset each came: those spans, together, hold every moment of a second, so one of
 * the connections bursts on both sides of a reset and a count passes 20. When a busy machine
 * left a gap, the checker aims again.
 */
async function sharedSecondEdge(ctx: ServerCheckContext): Promise<Connection[]> {
  const tried: Connection[] = [];
  for (let aim = 1; aim <= AIMS; aim++) {
    const clients = (await Promise.all(STAGGERED.map((user) => welcomed(ctx, user, { as: `${nick(user)}-${aim}` })))).map(({ client }) => client);
    const start = Date.now() + 10;
    const spans = await Promise.all(
      clients.map(async (client, i) => {
        await wait(start + i * STAGGER_MS - Date.now());
        const before = await burst(client, `${client.name} before`, LIMIT);
        await wait(start + i * STAGGER_MS + GAP_MS - Date.now());
        const sentAt = Date.now();
        const after = await burst(client, `${client.name} after`, LIMIT);
        return { client, rounds: [before, after], span: [before.lastAnswerAt, sentAt] as const };
      }),
    );
    tried.push(...spans);
    const covered = longestSpan(spans.map((connection) => connection.span));
    if (covered >= COVERED_MS) break;
    ctx.note(`the staggered bursts were answered too slowly to cover a whole second (${covered} ms): the checker aims again`);
  }
  return tried;
}

/** The longest span of time inside the union of `spans`. */
function longestSpan(spans: readonly (readonly [number, number])[]): number {
  let longest = 0;
  let current: [number, number] | undefined;
  for (const [from, to] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (current && from <= current[1]) current[1] = Math.max(current[1], to);
    else current = [from, to];
    longest = Math.max(longest, current[1] - current[0]);
  }
  return longest;
}

/** Uses up the limit, stays quiet for the contract's second, and expects 10 to pass again. */
async function quietSecond(ctx: ServerCheckContext, user: User): Promise<void> {
  const { client } = await welcomed(ctx, user, { as: `${nick(user)}-quiet` });
  const used = await burst(client, 'use it up');
  expectFreshBurst(used, 'on a new connection');
  ctx.note(`${client.name} stays quiet for one second, as the contract says`);
  await wait(used.lastAnswerAt + 1000 + 20 - Date.now());
  expectFreshBurst(await burst(client, 'after a quiet second'), 'after a quiet second');
}

const rateWindow: ServerCheck = {
  id: 'rate-window',
  name: "the limit is a sliding window or a token bucket: never 20 across a window's edge, 10 again after a quiet second",
  concurrent: true,
  needs: ['rate-burst'],
  ms: 15_000,
  run: async (ctx) => {
    // Three ways a count can be wrong, tried at once, each on connections of its own.
    const [own, shared] = await Promise.all([ownSecondEdge(ctx, ada), sharedSecondEdge(ctx), quietSecond(ctx, edsger)]);
    for (const { client, rounds } of [...own, ...shared]) {
      const worst = worstSpan(rounds.flatMap((round) => round.passedAt));
      if (!worst) continue;
      throw new CheckFailure(
        `${worst.count} of ${client.name}'s messages were passed on within ${worst.span} ms; a sliding one-second window or a token bucket passes at most ${worst.allowed}.`,
        {
          expected: `at most ${LIMIT} in any second (a token bucket may add one per 100 ms)`,
          received: summarise(rounds.flatMap((round) => round.outcomes)),
          explanation:
            'A count that starts again each second (of the clock, or of a timer) lets 10 through at 0.999 s and 10 more at 1.000 s. ' +
            `Remember when each passed message came and count those of the last 1000 ms (a sliding window), or keep a bucket of ${LIMIT} tokens refilled at ${LIMIT} a second.`,
        },
      );
    }
  },
};

// ---- the checks -------------------------------------------------------------------------------

const door: ServerCheck[] = [
  {
    id: 'token-in-query',
    name: 'a token in ?token= lets its user in, welcomed at once by the name the token gives',
    run: async (ctx) => {
      const { client: first } = await welcomed(ctx, ada, { keepNotices: true });
      await connectAs(ctx, grace).expectJson(jsonChat.welcome(grace.name, { users: [ada.name] }));
      await explained(
        first.expectJson(jsonChat.joined(grace.name)),
        `When ${grace.name} comes in, the users already there receive {"type":"joined","name":"${grace.name}"}.`,
      );
    },
  },
  {
    id: 'token-in-header',
    name: 'a token in "Authorization: Bearer <token>" works too',
    run: async (ctx) => {
      await welcomed(ctx, grace, { via: 'header' });
    },
  },
  {
    id: 'no-token',
    name: 'no token: 401, and no WebSocket',
    run: async (ctx) => {
      const mistake = 'A request without a token must never become a connection.';
      await refused(ctx, { what: 'no token at all', mistake }, 401);
      await refused(ctx, { what: 'an empty ?token=', path: '/?token=', mistake }, 401);
      await refused(ctx, { what: '"Authorization: Bearer " and nothing after it', headers: { Authorization: 'Bearer ' }, mistake }, 401);
    },
  },
  {
    id: 'wrong-token',
    name: 'an unknown token: 401, and no WebSocket',
    run: async (ctx) => {
      const knocks: Knock[] = [
        {
          what: 'the unknown token "nobody-0"',
          path: '/?token=nobody-0',
          mistake: 'Look the token up in the map built from TOKENS; an unknown one is refused.',
        },
        {
          what: 'the default token "alice-secret", which TOKENS does not hold here',
          path: '/?token=alice-secret',
          mistake: `The tokens come from the environment, not from the default, when TOKENS is set. ${readsEnv}`,
        },
        {
          what: `a known token with more after it ("${ada.token}x")`,
          path: `/?token=${ada.token}x`,
          mistake: 'Compare tokens exactly (a Map lookup), not by their start or with includes().',
        },
        {
          what: `a known token in capitals ("${ada.token.toUpperCase()}")`,
          path: `/?token=${ada.token.toUpperCase()}`,
          mistake: 'Tokens are secrets: compare them exactly, capitals included.',
        },
        { what: `a user's name as the token ("${ada.name}")`, path: `/?token=${encodeURIComponent(ada.name)}`, mistake: 'Look up the token, not the name.' },
        {
          what: 'an unknown token in "Authorization: Bearer nobody-0"',
          headers: { Authorization: 'Bearer nobody-0' },
          mistake: "Check the header's token as you check the query's.",
        },
      ];
      for (const knock of knocks) await refused(ctx, knock, 401);
    },
  },
  {
    id: 'foreign-origin',
    name: 'an Origin not in ALLOWED_ORIGINS: 403, even with a good token',
    run: async (ctx) => {
      const knocks: [string, string][] = [
        ['https://evil.example', 'Refuse an Origin that is not in ALLOWED_ORIGINS with 403.'],
        [
          `${ALLOWED[0]}.evil.example`,
          'Compare the Origin exactly with each allowed one: by its start, "http://127.0.0.1:5173.evil.example" passes, and anyone can own such a name.',
        ],
        ['http://localhost:8080', `The allowed origins come from the environment when ALLOWED_ORIGINS is set, not from the default. ${readsEnv}`],
        [
          ALLOWED[1]!.replace(/\.test$/, ''),
          'Compare the Origin exactly with each allowed one (a Set of them, and has()): includes() on the whole ALLOWED_ORIGINS text lets in any part of it.',
        ],
        ['null', 'A sandboxed page or a file sends "Origin: null": it is not in the list, so it is refused.'],
      ];
      for (const [origin, mistake] of knocks)
        await refused(ctx, { what: `a good token and Origin: ${origin}`, ...withToken(ada, { Origin: origin }), mistake }, 403);
    },
  },
  {
    id: 'allowed-origins',
    name: 'every origin in ALLOWED_ORIGINS is let in',
    needs: ['token-in-query'],
    run: async (ctx) => {
      for (const origin of ALLOWED) await welcomed(ctx, alan, { origin, as: `alan-from-${new URL(origin).hostname}` });
    },
  },
  {
    id: 'no-origin',
    name: 'a request without Origin (not a browser) needs only the token',
    needs: ['token-in-query'],
    run: async (ctx) => {
      await welcomed(ctx, grace, { origin: null });
      await welcomed(ctx, alan, { origin: null, via: 'header' });
    },
  },
];

const welcomeAtOnce =
  'The user is known from the token as the connection opens: send {"type":"welcome","name":...,"users":[...]} at once, in the connection handler, without waiting for a join.';

const identity: ServerCheck[] = [
  {
    id: 'join-refused',
    name: 'a join is "already-joined"; the name stays the token\'s',
    needs: ['token-in-query'],
    run: async (ctx) => {
      const { client: user } = await welcomed(ctx, ada);
      user.send(jsonChat.join('Somebody Else')).expectJson(jsonChat.error('already-joined'), {
        explain: () => 'Everyone is in from the start, by the token: a join is answered with the error "already-joined", and changes nothing.',
      });
      user.send(jsonChat.say('still me')).expectJson(jsonChat.message(ada.name, 'still me'), {
        explain: () => `The join must change nothing: ${ada.name} is still ${ada.name}.`,
      });
      await user;
    },
  },
  {
    id: 'from-ignored',
    name: 'a "from" sent by a client is ignored',
    needs: ['token-in-query'],
    run: async (ctx) => {
      const { client: mallory } = await welcomed(ctx, ada, { as: 'ada' });
      const { client: listener } = await welcomed(ctx, grace);
      const forged = JSON.stringify({ type: 'say', text: 'I am Grace, trust me', from: grace.name });
      const explain = () => `Never read "from" from the client's message: it is the name the token gave this connection (${ada.name}).`;
      mallory.send(forged).expectJson(jsonChat.message(ada.name, 'I am Grace, trust me'), { explain });
      listener.expectJson(jsonChat.message(ada.name, 'I am Grace, trust me'), { explain });
      await Promise.all([mallory, listener]);
    },
  },
  {
    id: 'same-token',
    name: 'two connections with one token are both that user',
    needs: ['token-in-query'],
    run: async (ctx) => {
      const { client: first } = await welcomed(ctx, alan, { as: 'alan-laptop' });
      const { client: second } = await welcomed(ctx, alan, { as: 'alan-phone', via: 'header' });
      second.send(jsonChat.say('from my phone')).expectJson(jsonChat.message(alan.name, 'from my phone'));
      first.expectJson(jsonChat.message(alan.name, 'from my phone'));
      await Promise.all([first, second]);
    },
  },
  {
    id: 'bad-input',
    name: 'the lesson 09 errors still hold (bad-json, unknown-type, bad-field)',
    needs: ['token-in-query'],
    run: async (ctx) => {
      const { client: user } = await welcomed(ctx, grace);
      user.send('{').expectJson(jsonChat.error('bad-json'));
      user.send(JSON.stringify({ type: 'shout' })).expectJson(jsonChat.error('unknown-type'));
      user.send(JSON.stringify({ type: 'say', text: 5 })).expectJson(jsonChat.error('bad-field'));
      user.send(jsonChat.say('fine')).expectJson(jsonChat.message(grace.name, 'fine'));
      await user;
    },
  },
];

/** A say of exactly `bytes` bytes in UTF-8, padded with JSON's own spaces (the text may be in 3-byte characters). */
function sayOfBytes(bytes: number, text: string): string {
  const body = jsonChat.say(text);
  return `${body.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(body))}}`;
}
const EUROS = '€'.repeat(1000);

const limits: ServerCheck[] = [
  {
    id: 'size-at-limit',
    name: `a message of exactly ${MAX_BYTES} bytes is passed on`,
    needs: ['token-in-query'],
    run: async (ctx) => {
      const { client: user } = await welcomed(ctx, grace);
      user.send(sayOfBytes(MAX_BYTES, EUROS)).expectJson(jsonChat.message(grace.name, EUROS), {
        explain: () => `${MAX_BYTES} bytes is allowed: only a message OVER ${MAX_BYTES} bytes is refused (maxPayload: ${MAX_BYTES}).`,
      });
      await explained(user, (failure) =>
        /closed first \(code 1009\)/.test(failure.message)
          ? `${MAX_BYTES} bytes is allowed: only a message over it closes the connection. maxPayload is the largest size allowed.`
          : undefined,
      );
    },
  },
  {
    id: 'size-over-limit',
    name: `a message over ${MAX_BYTES} bytes closes the connection with 1009`,
    needs: ['token-in-query'],
    run: async (ctx) => {
      const { client: user } = await welcomed(ctx, grace);
      ctx.note(`grace sends ${MAX_BYTES + 1} bytes (${MAX_BYTES + 1 - 2000} characters: the euro signs are 3 bytes each)`);
      user.send(sayOfBytes(MAX_BYTES + 1, EUROS)).expectClose({ code: 1009 });
      await explained(user, (failure) =>
        /stayed open/.test(failure.message) || /expected the connection to close/.test(failure.message)
          ? `Give the WebSocketServer maxPayload: ${MAX_BYTES}: ws then closes a connection whose message is larger, with 1009 (Message Too Big), before reading it all. Bytes, not characters: "€" is 3 bytes.`
          : undefined,
      );
    },
  },
  {
    id: 'rate-burst',
    name: `of a burst of ${BURST}, the first ${LIMIT} are passed on and the rest refused with "rate-limited"`,
    needs: ['token-in-query'],
    run: async (ctx) => {
      const { client: user } = await welcomed(ctx, alan);
      expectFreshBurst(await burst(user, 'flood'), 'on a new connection');
    },
  },
  {
    id: 'rate-others-flow',
    name: "one client's flood never stops another user's messages",
    needs: ['token-in-query'],
    run: async (ctx) => {
      const { client: flooder } = await welcomed(ctx, alan);
      const { client: other } = await welcomed(ctx, ada);
      const texts = Array.from({ length: BURST }, (_, i) => jsonChat.say(`flood ${i + 1}`));
      flooder.sendBurst(texts);
      // Once alan has been refused, the limit is reached; now ada talks.
      await flooder.expectJson(jsonChat.error('rate-limited'), { skip: (message) => jsonField(message, 'type') === 'message' });
      ctx.note('alan has been refused: now ada talks');
      for (const text of ['am I heard?', 'still here', 'hello?']) {
        other.send(jsonChat.say(text)).expectJson(jsonChat.message(ada.name, text), {
          skip: (message) => jsonField(message, 'from') === alan.name,
          explain: (value) =>
            (value as { code?: unknown } | undefined)?.code === 'rate-limited'
              ? 'One flooder silenced everyone: the limit is per connection. Make the limiter inside the connection handler (or keep it in a Map by socket), not one for the whole server.'
              : undefined,
        });
      }
      await other;
    },
  },
  rateWindow,
];

/** Every place a token turned up, as "where: the text". */
function leaks(texts: [string, string][]): string[] {
  const found: string[] = [];
  for (const [where, text] of texts) {
    for (const user of USERS) if (text.includes(user.token)) found.push(`${where}: ${text.slice(0, 200)}`);
  }
  return found;
}

const secrecy: ServerCheck = {
  id: 'no-token-leak',
  name: 'no token appears in anything the server sends or prints',
  fresh: true,
  needs: ['token-in-query'],
  run: async (ctx) => {
    const seen: [string, string][] = [];
    const { client: first } = await welcomed(ctx, ada, { collect: seen });
    const { client: second } = await welcomed(ctx, grace, { via: 'header', collect: seen });
    first.send(jsonChat.say('hello')).expectJson(jsonChat.message(ada.name, 'hello'));
    first.send('{').expectJson(jsonChat.error('bad-json'));
    first.send(jsonChat.join(ada.token)).expectJson(jsonChat.error('already-joined'));
    await first;
    await burst(second, 'noise', LIMIT + 2);
    for (const [path, origin] of [
      [`/?token=${ada.token}`, 'https://evil.example'],
      ['/?token=nobody-0', undefined],
    ] as const) {
      const peer = await ctx.rawConnect('door');
      const { response } = await peer.upgrade({ path, headers: origin ? { Origin: origin } : {} });
      seen.push(['the answer to a refused request', [response.statusLine, ...response.lines].join('\n')]);
    }
    await second.close(1000).closure();
    await first.close(1000).closure();
    for (const client of [first, second]) seen.push([`the close reason to ${client.name}`, client.closeInfo?.reason ?? '']);
    await ctx.stopServer();
    for (const line of ctx.server.lines()) seen.push([`your server's ${line.stream}`, line.text]);
    seen.push(["your server's stdout", ctx.server.stdout.text()], ["your server's stderr", ctx.server.stderr.text()]);
    const found = leaks(seen);
    if (found.length === 0) return;
    throw new CheckFailure(`A token appeared in what your server sent or printed (${found.length} time${found.length === 1 ? '' : 's'}).`, {
      expected: 'no token anywhere: tokens are passwords',
      received: found.slice(0, 5).join('\n'),
      explanation:
        "Log the user's name, never the token; and never log request.url as it is: with ?token= it holds the secret (use the path without the query). " +
        'Logs are kept, copied and read by many; a token in them is a password in them.',
    });
  },
};

/** The robustness checks, with clients that present a token and get "bad-json" for "{". */
const served: Served = {
  open: (ctx, name) => connectAs(ctx, alan, { as: name }).expectJson(jsonChat.welcome(alan.name)).send('{').expectJson(jsonChat.error('bad-json')),
  again: (_ctx, client) => client.send('{').expectJson(jsonChat.error('bad-json')),
};

export default defineLesson({
  kind: 'server',
  // Bursts aimed at the edges of a one-second window: a lesson that loads the machine beside it would make them late.
  racesTheClock: true,
  env: ENV,
  checks: [...door, ...identity, ...limits, secrecy, ...robustnessChecks(served, ['token-in-query'])],
  hints: [
    'Make the HTTP server yourself (http.createServer), give ws noServer: true, and listen for the HTTP server\'s "upgrade" event: (request, socket, head). Everything about the door happens there, before handleUpgrade.',
    'Build a Map from TOKENS once: for each "token:Name" of process.env.TOKENS.split(","), the token is before the first ":", the name after it (it may hold spaces). The token of a request: new URL(request.url, "http://localhost").searchParams.get("token"), or else /^Bearer (\\S+)$/ on request.headers.authorization.',
    'No known token: socket.end("HTTP/1.1 401 Unauthorized\\r\\nConnection: close\\r\\nContent-Length: 0\\r\\n\\r\\n") and return. An Origin header that is there and not in the Set built from ALLOWED_ORIGINS: the same with 403 Forbidden. Compare exactly (Set.has), never with startsWith.',
    'Otherwise wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, name)): the name rides along to the connection handler, which sends the welcome at once. A "join" is now "already-joined"; a say is from `name`, whatever the message says.',
    'new WebSocketServer({ noServer: true, maxPayload: 4096 }) closes a connection with 1009 when a message is over 4096 bytes. For the rate, keep, per connection, the times of the messages passed on in the last 1000 ms: when there are already 10, send {"type":"error","code":"rate-limited",...} and pass nothing on.',
    'Print names, never tokens, and never request.url (it holds ?token=).',
  ],
  demo: (port) => runSecureChatDemo(port),
});
