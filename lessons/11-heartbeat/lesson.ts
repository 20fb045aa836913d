import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import {
  CheckerWasLate,
  CheckFailure,
  closedWith1001,
  defineLesson,
  explained,
  joinChat,
  jsonChat,
  jsonProtocolChecks,
  like,
  robustnessChecks,
  runHeartbeatDemo,
  scaled,
  seconds,
  servedByJsonChat,
  type ScriptedClient,
  type ServerCheck,
  type ServerCheckContext,
} from '../../checker/lesson-api.ts';

/**
 * Lesson 11: heartbeats on the lesson 09 protocol. The checks that watch the heartbeat run at
 * the same time, each on a server of its own started with a short HEARTBEAT_MS; every bound
 * is measured on the transcript's clock, with the contract's tolerance written out below.
 */

/**
 * How much more slowly the heartbeat must beat on this machine: its load average per core
 * beyond 3, at most four times. A heartbeat is a race between the server's timer and the
 * checker's answers; on a machine so busy that either waits its turn for longer than
 * HEARTBEAT_MS, a correct server rightly ends live connections. Every bound is measured in
 * HEARTBEAT_MS, so a slower heartbeat catches the same mistakes, only later. (In the flake
 * test, both cores kept busy by other programs, the load average went above 4 a core, and the
 * 70 ms heartbeat held in all ten runs without this; 1.5 a core, where it once began, is no
 * more than checking several lessons at once makes.)
 */
function busyMachineFactor(): number {
  const loadPerCore = loadavg()[0]! / availableParallelism();
  return Math.min(4, Math.max(1, loadPerCore / 3));
}

/**
 * The heartbeat the checker asks for, in HEARTBEAT_MS: short, so that the ten intervals the
 * contract watches take 0.7 s (scaled, like every deadline, on a slow machine, and slower on a
 * busy one). Long enough still for the checker's pongs: under the flake test's load (both
 * cores busy), no live peer was ended.
 */
const HEARTBEAT_MS = Math.round(scaled(70) * busyMachineFactor());
/** The contract's tolerance on every heartbeat bound. */
const TOLERANCE_MS = scaled(250);
/** A peer that stops answering is gone within this, by the contract. */
const GONE_WITHIN_MS = 2 * HEARTBEAT_MS + TOLERANCE_MS;
/** How many intervals the checks that count pings watch. */
const WATCHED_INTERVALS = 10;
/** How a check that watches the heartbeat runs: alongside the others, on a server of its own with the short heartbeat. */
const watchesHeartbeat = { concurrent: true, env: { HEARTBEAT_MS: String(HEARTBEAT_MS) } } as const;

/** How often the checker looks at its own lateness, in ms: the lateness it sees includes this. */
const LAG_RESOLUTION_MS = 10;

/**
 * A heartbeat check's body, noting how late the checker itself ran. On a machine busy enough
 * for the checker (or the server) to wait its turn for a good part of HEARTBEAT_MS, a correct
 * server may rightly end a connection whose pong came late: such a failure is CheckerWasLate,
 * and the check runs once more on a new server. When it fails again that late, it says so.
 * (In 50 flake-test runs before this, two failed so: a live client of the checker ended.)
 */
function watching(run: (ctx: ServerCheckContext) => Promise<void>): (ctx: ServerCheckContext) => Promise<void> {
  return async (ctx) => {
    const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lag.enable();
    try {
      await run(ctx);
    } catch (failure) {
      const lateMs = Math.round(lag.max / 1e6 - LAG_RESOLUTION_MS);
      if (!(failure instanceof CheckFailure) || lateMs < HEARTBEAT_MS / 4) throw failure;
      const note =
        lateMs >= HEARTBEAT_MS / 2
          ? `(This machine is very busy: the checker itself was up to ${lateMs} ms late, and may have answered a ping after your heartbeat's next tick. ` +
            'If your server looks right, check again with --timeout-scale 3.)'
          : undefined;
      throw new CheckerWasLate(failure.message, { ...failure.details, explanation: [failure.details.explanation, note].filter(Boolean).join(' ') });
    } finally {
      lag.disable();
    }
  };
}

/**
 * The lesson 09 checks that hold here as they are. Left out: the load check and bad-json's
 * megabyte of JSON, whose processing would hold up the checker while the heartbeat checks'
 * clients must answer pings within HEARTBEAT_MS.
 */
const REUSED = [
  'message',
  'unknown-type',
  'bad-text',
  'bad-name',
  'not-joined',
  'already-joined',
  'unjoined-silent',
  'leave-clean',
  'leave-abrupt',
  'leave-unjoined',
];

const hereHeartbeatIs = `(HEARTBEAT_MS is ${HEARTBEAT_MS} ms here)`;
const noPings =
  'Every HEARTBEAT_MS milliseconds (setInterval, not setTimeout, which runs once), ping every connection, joined or not: ' +
  'for (const socket of wss.clients) socket.ping(). ' +
  `Read the interval from the environment, Number(process.env.HEARTBEAT_MS ?? 30_000): the checker sets it to ${HEARTBEAT_MS} ms.`;

/** A field of a JSON object, or undefined for anything else. */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Connects `name` and queues its join; it has joined once its steps have run. */
function join(ctx: ServerCheckContext, name: string, options: { autoPong?: boolean } = {}): ScriptedClient {
  return joinChat(ctx.connect(name, options), name);
}

/** `user` says `text`, and its own copy comes back: a round trip for a joined user. */
function says(user: ScriptedClient, text: string): ScriptedClient {
  return user.send(jsonChat.say(text)).expectJson(jsonChat.message(user.name, text));
}

// ---- application-level ping -------------------------------------------------------------

/** The ids the checker pings with: every kind of JSON value. */
const PING_IDS: unknown[] = [1, 'abc', { seq: 2, sent: [1, null, { deep: true }] }, null, 0, false, [], 'a "quoted" id', 3.25];

function explainPong(id: unknown, value: unknown): string | undefined {
  const type = field(value, 'type');
  const code = field(value, 'code');
  if (type === 'error' && code === 'unknown-type') {
    return 'Your server does not know "ping" yet: add it to the message types and to parse(), and answer it with {"type":"pong","id":...}.';
  }
  if (type === 'error' && code === 'not-joined') return 'A ping needs no join: a page pings to find out whether its server is still there, joined or not.';
  if (type === 'error' && code === 'bad-field')
    return `Any JSON value is a valid id (here ${JSON.stringify(id)}): do not check its type, pass it back as it came.`;
  if (type === 'message') return 'Answer a ping at once, when it arrives, not on a later tick: the line sent after it was passed on first.';
  if (type !== 'pong') return undefined;
  const returned = field(value, 'id');
  if (returned === undefined) return 'Send the id back: send(socket, { type: "pong", id: message.id }).';
  if (returned === String(id))
    return `The id goes back as the same JSON value: ${JSON.stringify(id)} is not the string ${JSON.stringify(String(id))}. Do not convert it.`;
  return `The id goes back exactly as it came: ${JSON.stringify(id)}, not ${JSON.stringify(returned)}.`;
}

/** The pong for `id`: the same JSON value, exactly (not merely a partial match of an object). */
const pong = (id: unknown) => ({ type: 'pong', id: like.that(`exactly ${JSON.stringify(id)}`, (value) => isDeepStrictEqual(value, id)) });

/** An application-level ping from `client`, and its pong. */
function appPing(client: ScriptedClient, id: unknown): ScriptedClient {
  return client.send(JSON.stringify({ type: 'ping', id })).expectJson(pong(id), { explain: (value) => explainPong(id, value) });
}

// ---- watching the heartbeat -------------------------------------------------------------

/** Waits for the first ping `client` gets: the heartbeat runs for it. */
function firstPing(client: ScriptedClient): ScriptedClient {
  return client.expectPings(1, { ms: HEARTBEAT_MS + TOLERANCE_MS + scaled(1_000), explanation: noPings });
}

/** Waits for `count` more pings at `client`; a failure says whether the pings never came or stopped coming. */
function morePings(client: ScriptedClient, count: number): Promise<void> {
  return explained(client.expectPings(count, { ms: count * (HEARTBEAT_MS + TOLERANCE_MS) + scaled(1_000) }), () => {
    if (client.closeInfo) return undefined;
    if (client.pings.length === 0) return noPings;
    return `Your server pinged ${client.name} ${plural(client.pings.length, 'time')}, then stopped. Ping on every tick: setInterval (not setTimeout, which runs once), every HEARTBEAT_MS milliseconds.`;
  });
}

/**
 * Holds the server to the contract for `peer`, which stopped answering pings: the next tick
 * after one unanswered ping ends the connection (so at most one ping reaches it unanswered, a
 * rule that does not depend on timing), within 2 × HEARTBEAT_MS + 250 ms. `whyKept` names the
 * likely mistake when the server kept pinging it.
 */
async function endedInTime(ctx: ServerCheckContext, peer: ScriptedClient, whyKept: string): Promise<void> {
  const since = peer.stoppedAnsweringAt!;
  // A little past the bound, so that a late end is reported with its time.
  const waitMs = since + GONE_WITHIN_MS + 2 * HEARTBEAT_MS - ctx.transcript.now();
  const closed = await peer.closure(Math.max(0, waitMs)).then(
    () => true,
    () => false,
  );
  const unanswered = peer.pings.filter((at) => at > since).length;
  const late = !closed || peer.closedAt! - since > GONE_WITHIN_MS;
  if (!late && unanswered <= 1) return;
  const after = (at: number) => `${Math.round(at - since)} ms`;
  const ending = closed ? `ended only ${after(peer.closedAt!)} later` : `still connected ${after(ctx.transcript.now())} later`;
  const closeFrame = peer.closeFrameReceived;
  throw new CheckFailure(
    unanswered > 1
      ? `Your server pinged ${peer.name} ${unanswered} times after it stopped answering, and ${peer.name} was ${ending}.`
      : `${peer.name} stopped answering pings, and was ${ending}: at most ${GONE_WITHIN_MS} ms (2 × HEARTBEAT_MS + 250 ms) ${hereHeartbeatIs}.`,
    {
      expected: `one ping left unanswered, then the connection ended at the next tick, within ${GONE_WITHIN_MS} ms`,
      received: `${plural(unanswered, 'ping')} left unanswered, ${closed ? `ended after ${after(peer.closedAt!)}` : 'still open'}`,
      explanation: closeFrame
        ? `Your server sent ${peer.name} a close frame (code ${closeFrame.code}): close() starts a polite close handshake and waits for the answer ` +
          '(30 s in ws), which a vanished peer never sends. terminate() ends the TCP connection at once.'
        : unanswered === 0
          ? `No ping reached ${peer.name} after it stopped answering. ${noPings}`
          : whyKept,
    },
  );
}

/** The times between consecutive pings. */
const gaps = (times: number[]) => times.slice(1).map((at, i) => at - times[i]!);

/**
 * Holds `client`'s pings (its first WATCHED_INTERVALS, or as many as came) to the interval,
 * not faster: from the first to the last takes at least (pings − 1) × HEARTBEAT_MS − 250 ms.
 * A checker that was late to read one ping (on a busy machine) sees it close to the next one,
 * so "faster" also needs most gaps to be short, which one late ping does not make them.
 */
function pingsNotFaster(client: ScriptedClient): void {
  const times = client.pings.slice(0, WATCHED_INTERVALS);
  const intervals = times.length - 1;
  const took = times.at(-1)! - times[0]!;
  const shortest = intervals * HEARTBEAT_MS - TOLERANCE_MS;
  const usualGap = gaps(times).sort((a, b) => a - b)[Math.floor(intervals / 2)]!;
  if (took >= shortest || usualGap >= HEARTBEAT_MS * 0.75) return;
  const every = Math.round(took / intervals);
  throw new CheckFailure(
    `${client.name} received ${times.length} pings in ${Math.round(took)} ms, one every ${every} ms on average: faster than every HEARTBEAT_MS ${hereHeartbeatIs}.`,
    {
      expected: `${times.length} pings over at least ${shortest} ms (${intervals} × HEARTBEAT_MS − 250 ms)`,
      received: `${times.length} pings over ${Math.round(took)} ms (${describeGaps(times)})`,
      explanation:
        every > HEARTBEAT_MS / 4
          ? 'Ping once per HEARTBEAT_MS: setInterval(tick, HEARTBEAT_MS), not a fraction of it.'
          : 'Start one heartbeat timer for the whole server, once: a setInterval started for every message (or every connection) adds up.',
    },
  );
}

/** No two of `client`'s first WATCHED_INTERVALS pings come more than HEARTBEAT_MS + 250 ms apart. */
function pingsKeepComing(client: ScriptedClient): void {
  const times = client.pings.slice(0, WATCHED_INTERVALS);
  const longest = Math.max(...gaps(times));
  if (longest <= HEARTBEAT_MS + TOLERANCE_MS) return;
  throw new CheckFailure(`${client.name} waited ${Math.round(longest)} ms between two pings: more than HEARTBEAT_MS + 250 ms ${hereHeartbeatIs}.`, {
    expected: `a ping at least every ${HEARTBEAT_MS + TOLERANCE_MS} ms`,
    received: describeGaps(times),
    explanation: 'Ping on every tick: setInterval (not setTimeout, which runs once), every HEARTBEAT_MS milliseconds.',
  });
}

const describeGaps = (times: number[]) => `gaps: ${gaps(times).map(Math.round).join(', ')} ms`;

// ---- who is told what -------------------------------------------------------------------

/**
 * Names the mistake when a `left` other than the one expected reached a watcher: about a user
 * already `announced`, about a connection that never joined, or with the wrong reason.
 */
function explainLeft(value: unknown, announced: ReadonlySet<string>): string | undefined {
  if (field(value, 'type') !== 'left') return undefined;
  const name = field(value, 'name');
  if (typeof name !== 'string') return 'A connection that never joined has no name, and nobody knew it was there: it leaves quietly, whatever ended it.';
  if (announced.has(name)) {
    return (
      `${name} was announced again after leaving. Announce a leaving user once, in the 'close' handler (it runs for every ending, ` +
      "terminate() included), and make sure nothing else does: no announcement in the heartbeat's tick, no timer per connection still running after its connection closed."
    );
  }
  if (name === 'Trent' && field(value, 'reason') === undefined) {
    return 'When the heartbeat ended the connection, \'left\' says so: {"type":"left","name":"Trent","reason":"timeout"}. Remember which sockets you terminate.';
  }
  return undefined;
}

/** `name` left on their own, yet the others were told it was a timeout. */
function timedOutWrongly(name: string, left: Record<string, unknown>): CheckFailure {
  return new CheckFailure(`Bob was told that ${name} timed out, but ${name} left on their own.`, {
    expected: `{"type":"left","name":"${name}"} without "reason":"timeout"`,
    received: JSON.stringify(left),
    explanation:
      `${name} closed or dropped the connection: only a connection your heartbeat terminated gets reason "timeout". ` +
      'A dropped connection closes with 1006 too, so the close code cannot tell: remember your own terminations.',
  });
}

/** Chad, who answers no ping any more, says a line after each ping he gets, until his connection ends (or long past the bound). */
async function keepTalking(ctx: ServerCheckContext, chad: ScriptedClient): Promise<void> {
  const until = chad.stoppedAnsweringAt! + GONE_WITHIN_MS + 2 * HEARTBEAT_MS;
  for (let round = 1; chad.isOpen && ctx.transcript.now() < until; round++) {
    const talked = await chad
      .expectPings(1, { ms: Math.max(0, until - ctx.transcript.now()) })
      .then(() => chad.send(jsonChat.say(`line ${round}`)).expectJson(jsonChat.message('Chad', `line ${round}`), { skipOtherTypes: true }))
      .then(
        () => true,
        () => false,
      );
    if (!talked) return;
  }
}

/**
 * Lets the heartbeat tick three more times (counted at `watcher`), then `watcher` says a line:
 * its own copy must be the next thing it receives, so nothing more was announced meanwhile
 * (absence proved by order).
 */
async function nothingMoreAfterTicks(ctx: ServerCheckContext, watcher: ScriptedClient, explain: (value: unknown) => string | undefined): Promise<void> {
  const ticks = 3;
  await morePings(watcher, ticks);
  const text = 'anyone still here?';
  ctx.note(`${ticks} ticks of the heartbeat later, ${watcher.name} says a line: its copy must be the next thing ${watcher.name} receives`);
  await watcher.send(jsonChat.say(text)).expectJson(jsonChat.message(watcher.name, text), { explain });
}

// ---- shutting down ----------------------------------------------------------------------

// ---- the checks -------------------------------------------------------------------------

const checks: ServerCheck[] = [
  {
    id: 'app-ping',
    name: 'answers {"type":"ping","id":X} at once with {"type":"pong","id":X}, whatever JSON value X is, joined or not',
    run: async (ctx) => {
      const paula = ctx.connect('Paula');
      ctx.note('Paula has not joined: a ping needs no join');
      for (const id of PING_IDS) await appPing(paula, id);
      await joinChat(paula, 'Paula');
      ctx.note('Paula pings and then says a line: the pong must come first, since the server handled the ping first');
      paula.send(JSON.stringify({ type: 'ping', id: 'first' })).send(jsonChat.say('second'));
      await paula.expectJson(pong('first'), { explain: (value) => explainPong('first', value) }).expectJson(jsonChat.message('Paula', 'second'));
    },
  },
  ...jsonProtocolChecks().filter((check) => REUSED.includes(check.id)),
  {
    ...watchesHeartbeat,
    id: 'ping-interval',
    name: 'pings every connection every HEARTBEAT_MS: not faster, not more with every message, and without stopping',
    run: watching(async (ctx) => {
      const quinn = ctx.connect('Quinn');
      const chris = join(ctx, 'Chris');
      await Promise.all([firstPing(quinn), firstPing(chris)]);
      ctx.note(`Quinn says nothing; Chris says a line after every ping. Both should get a ping every ${HEARTBEAT_MS} ms.`);
      const talking = (async () => {
        for (let round = 1; round < WATCHED_INTERVALS; round++) {
          await morePings(chris, 1);
          await says(chris, `line ${round}`);
        }
      })();
      try {
        await Promise.all([morePings(quinn, WATCHED_INTERVALS - 1), talking]);
      } catch (failure) {
        // Pings faster than asked can end a connection early too: when those that came show it, that is the mistake to name.
        for (const client of [quinn, chris]) if (client.pings.length >= WATCHED_INTERVALS - 2) pingsNotFaster(client);
        throw failure;
      }
      for (const client of [quinn, chris]) {
        pingsNotFaster(client);
        pingsKeepComing(client);
      }
    }),
  },
  {
    ...watchesHeartbeat,
    id: 'live-peer',
    name: `never ends a connection that answers every ping, even one that says nothing (${WATCHED_INTERVALS} intervals watched)`,
    run: watching(async (ctx) => {
      const ivy = join(ctx, 'Ivy');
      ctx.note(`Ivy answers every ping (her WebSocket library does it by itself) and sends nothing else, for ${WATCHED_INTERVALS} intervals`);
      const ended = () =>
        ivy.closeInfo
          ? `Ivy answered every ping she got (${ivy.pings.length}) with a pong, yet your server ended her connection. Mark a connection as ` +
            "alive in socket.on('pong', ...), and count a new connection as alive until a ping it was sent goes unanswered. A quiet user is not a dead one."
          : undefined;
      await explained(firstPing(ivy), ended);
      await explained(morePings(ivy, WATCHED_INTERVALS - 1), ended);
      await says(ivy, 'still here');
    }),
  },
  {
    ...watchesHeartbeat,
    id: 'dead-peer',
    name: 'ends a connection that stops answering pings within 2 × HEARTBEAT_MS + 250 ms, with terminate(): joined or not, silent or still talking',
    run: watching(async (ctx) => {
      const trent = join(ctx, 'Trent');
      const uma = ctx.connect('Uma');
      const chad = join(ctx, 'Chad', { autoPong: false });
      ctx.note('Trent has joined, Uma never joins: each vanishes right after answering its first ping. Chad stops answering pings, but keeps talking.');
      await Promise.all([firstPing(trent).vanish(), firstPing(uma).vanish(), firstPing(chad).answerPings(false)]);
      const silent =
        'A connection that has not answered the previous ping by the next tick is ended at that tick: one missed pong is enough. On each tick, ' +
        "terminate() every connection that has not answered the previous tick's ping; remember which ones answered in socket.on('pong', ...).";
      const talking =
        "Chad kept sending messages, but answered no ping. Only a pong answers a ping: mark a connection alive in socket.on('pong', ...), " +
        "not in 'message'. (A program can hang in a way that still sends, and a page that talks is not proof that the connection's other direction works.)";
      const chadTalks = async () => {
        await keepTalking(ctx, chad);
        await endedInTime(ctx, chad, talking);
      };
      await Promise.all([endedInTime(ctx, trent, silent), endedInTime(ctx, uma, silent), chadTalks()]);
    }),
  },
  {
    ...watchesHeartbeat,
    id: 'left-notices',
    name: 'announces each user who leaves once: with "reason":"timeout" when the heartbeat ended the connection, without when the user closed or dropped it, and never one that had not joined',
    run: watching(async (ctx) => {
      const names = ['Alice', 'Dave', 'Trent'];
      const bob = join(ctx, 'Bob');
      await bob;
      const users = new Map<string, ScriptedClient>();
      for (const name of names) {
        const user = join(ctx, name);
        await Promise.all([user, bob.expectJson(jsonChat.joined(name))]);
        users.set(name, user);
      }
      const uma = ctx.connect('Uma');
      await Promise.all([...users.values(), uma].map((client) => firstPing(client)));
      const announced = new Set<string>();
      const explain = (value: unknown) => explainLeft(value, announced);
      ctx.note('Alice closes her connection, Dave drops his: each is announced, without "reason":"timeout"');
      for (const [name, leave] of [
        ['Alice', (client: ScriptedClient) => client.close(1000)],
        ['Dave', (client: ScriptedClient) => client.drop()],
      ] as const) {
        await leave(users.get(name)!);
        const left = await bob.nextJson(jsonChat.left(name), { explain });
        if (left.reason === 'timeout') throw timedOutWrongly(name, left);
        announced.add(name);
      }
      ctx.note('Trent, who has joined, and Uma, who has not, vanish: Trent is announced with "reason":"timeout", Uma not at all');
      await Promise.all([users.get('Trent')!.vanish(), uma.vanish()]);
      await explained(bob.expectJson(jsonChat.left('Trent', { reason: 'timeout' }), { explain }), (failure) =>
        failure.details.received === 'nothing' && users.get('Trent')!.closeInfo
          ? "Your server ended Trent's connection, but nobody was told. The 'close' event comes for a terminated connection too: announce " +
            'every joined user there (and do not forget the user before that).'
          : undefined,
      );
      announced.add('Trent');
      await nothingMoreAfterTicks(ctx, bob, explain);
    }),
  },
  {
    id: 'sigterm',
    name: 'on SIGTERM closes every connection with 1001 and exits by itself within one second',
    fresh: true,
    run: async (ctx) => {
      const alice = join(ctx, 'Alice');
      const uma = ctx.connect('Uma').send(jsonChat.say('hello?')).expectJson(jsonChat.error('not-joined'));
      await Promise.all([alice, uma]);
      ctx.signalServer('SIGTERM');
      const signalledAt = ctx.transcript.now();
      const within = scaled(1_000);
      await Promise.all([alice, uma].map((client) => closedWith1001(client, within)));
      if (await ctx.server.allGone(Math.max(0, signalledAt + within - ctx.transcript.now()))) return;
      throw new CheckFailure(`After SIGTERM your server closed its connections, but it was still running ${seconds(within)} after the signal.`, {
        expected: 'the process ends by itself within one second',
        received: 'still running',
        explanation:
          'Something still keeps Node.js running: the heartbeat timer (clearInterval it), the server (wss.close()), or a connection that ' +
          'has not closed. Once all of them are gone, the process ends by itself.',
      });
    },
  },
  ...robustnessChecks(servedByJsonChat(), ['not-joined']),
];

export default defineLesson({
  kind: 'server',
  // Pings answered within HEARTBEAT_MS: a lesson that loads the machine beside it would make the checker late.
  racesTheClock: true,
  checks,
  hints: [
    'Start with the application-level ping: in parse(), a message of type "ping" is always valid; answer it with send(socket, { type: "pong", id: message.id }). The id can be any JSON value: never check or convert it.',
    'The heartbeat is ONE setInterval for the whole server, every HEARTBEAT_MS (Number(process.env.HEARTBEAT_MS ?? 30_000)). On each tick, loop over wss.clients and call socket.ping().',
    "Remember who answered: a WeakSet<WebSocket>. Add a socket when it connects and in socket.on('pong', ...). On each tick, a socket not in the set has not answered the last ping: end it; the others are taken out of the set and pinged again.",
    'End a dead connection with socket.terminate(), not close(): close() waits for the other side to answer its close frame, and a vanished peer never answers.',
    "terminate() ends in the same 'close' event as every other ending. Put the terminated socket in a second set (timedOut) before terminating it, and in 'close' add reason: 'timeout' to the 'left' of a socket in that set. A socket that never joined is announced to nobody.",
    "Shutting down: process.once('SIGTERM', shutDown). There clearInterval(heartbeat), socket.close(1001, 'Server shutting down') for every socket in wss.clients, and wss.close(). No process.exit(): once nothing is left, Node.js exits by itself.",
  ],
  demo: (port) => runHeartbeatDemo(port),
});
