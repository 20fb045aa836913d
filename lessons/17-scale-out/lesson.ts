import {
  CheckFailure,
  closedWith1001,
  defineLesson,
  explained,
  explainMessage,
  jsonChat,
  type JsonChatCast,
  type JsonChatLeeway,
  jsonChatCast,
  jsonProtocolChecks,
  jsonType,
  like,
  robustnessChecks,
  runScaleOutDemo,
  scaled,
  seconds,
  servedByJsonChat,
  type RunningProgram,
  type ScriptedClient,
  type ServerCheck,
  type ServerCheckContext,
  type ServerInstance,
} from '../../checker/lesson-api.ts';

/**
 * Lesson 17: the lesson 09 chat served by several instances at once, joined through the
 * checker's own redis-server (the lesson's `redis`). The lesson runs two instances, server A
 * (the lesson's server) and server B, both on the lesson's Redis: the lesson 09 checks that hold
 * on one instance run on A, the checks across instances on both (ctx.instances). They share the
 * instances and Redis, so every check's users have names no other check uses.
 */

/**
 * An instance reads who is there from Redis and hears of joins, its own too, through Redis
 * publish/subscribe, and the two are not ordered with each other: a newcomer may get one
 * "joined" of a user its welcome listed, right after the welcome (the lesson's text says so).
 */
const LEEWAY: JsonChatLeeway = { joinedMayTrailWelcome: true };

/** The lesson 09 checks that hold on one instance as they are (ids from 1 and the load check are left out). */
const REUSED = [
  'welcome',
  'message',
  'text-exact',
  'trims-name',
  'name-taken',
  'name-freed',
  'odd-names',
  'already-joined',
  'not-joined',
  'bad-json',
  'unknown-type',
  'bad-text',
  'bad-name',
  'unjoined-silent',
  'leave-clean',
  'leave-abrupt',
  'leave-unjoined',
  'sender-order',
];

/**
 * Users who ask for one name at the same moment: three on server A, one on server B, while
 * the checker holds Redis still. Their instances' commands then meet in Redis at once: a
 * lookup followed by a separate claim lets more than one in, an atomic claim (HSETNX) one.
 */
/** How long Redis holds still while the joins of one name arrive from both instances. */
const HOLD_REDIS_MS = scaled(150);
const SAME_NAME_AT_ONCE = [
  ['Kai', 'KAI', 'kai', 'kAI'],
  ['Lux', 'LUX', 'lux', 'lUX'],
  ['Moe', 'MOE', 'moe', 'mOE'],
  ['Ned', 'NED', 'ned', 'nED'],
  ['Ode', 'ODE', 'ode', 'oDE'],
] as const;

/** The contract: a join on one instance reaches the users of the others within this. */
const JOIN_SEEN_WITHIN_MS = scaled(250);
/** The contract: an instance sent SIGTERM is gone within this. */
const SHUTDOWN_WITHIN_MS = scaled(2_000);

const ONLY_THROUGH_REDIS =
  'Send every joined, message and left only through Redis: publish it, and let your subscription deliver it to the users of every ' +
  'instance, this one included. Sending it to your own users directly as well gives them everything twice.';

/** A check across the lesson's two instances. */
function acrossInstances(check: {
  id: string;
  name: string;
  cast: string[];
  run: (a: ServerInstance, b: ServerInstance, cast: JsonChatCast, ctx: ServerCheckContext) => Promise<void>;
}): ServerCheck {
  return {
    id: check.id,
    name: check.name,
    needs: ['message'],
    run: async (ctx) => {
      const [a, b] = await ctx.instances();
      ctx.note(`${a!.name} (port ${a!.port}) and ${b!.name} (port ${b!.port}) share the checker's Redis`);
      await check.run(a!, b!, jsonChatCast(ctx, check.cast, LEEWAY), ctx);
    },
  };
}

/**
 * Joins each user at its instance, one after another, every earlier user hearing of each
 * later one (on whichever instance), each welcome listing the users before it.
 */
async function joinAcross(cast: JsonChatCast, users: [string, ServerInstance][]): Promise<ScriptedClient[]> {
  const joined: ScriptedClient[] = [];
  for (const [index, [name, at]] of users.entries()) {
    const listed = joined.map((user) => user.name);
    const elsewhere = users.slice(0, index).flatMap(([other, its]) => (its === at ? [] : [other]));
    const newcomer = cast.join(name, { at, users: listed, explain: (value) => explainLocalWelcome(name, at, elsewhere, value) });
    for (const user of joined) user.expectJson(jsonChat.joined(name), { explain: (value) => explainAcross(user.name, value) });
    await explained(
      Promise.all([newcomer, ...joined]),
      `${name} joined on ${at.name}: ${name}'s welcome lists the users of every instance, and every other user, on any instance, hears of it.`,
    );
    joined.push(newcomer);
  }
  return joined;
}

/** Names the mistake when `name`'s welcome on `at` leaves out users who joined on other instances (`elsewhere`). */
function explainLocalWelcome(name: string, at: ServerInstance, elsewhere: string[], value: unknown): string | undefined {
  const listed = jsonType(value) === 'welcome' ? (value as { users?: unknown }).users : undefined;
  const missing = elsewhere.filter((other) => !(Array.isArray(listed) && listed.includes(other)));
  if (jsonType(value) !== 'welcome' || missing.length === 0) return undefined;
  return (
    `${name}'s welcome on ${at.name} leaves out ${missing.join(' and ')}, who joined on another instance. ` +
    'welcome.users lists the joined users of every instance: keep them in Redis (the shared presence) and read them from there.'
  );
}

/** Names the mistake when `receiver` got `value` where a notice of a later event was due. */
function explainAcross(receiver: string, value: unknown): string | undefined {
  if (jsonType(value) === 'joined' && (value as { name?: unknown }).name === receiver) {
    return `${receiver} was told that ${receiver} joined. The "joined" goes to every user but the newcomer, on every instance: the instance that delivers it skips the connection that joined.`;
  }
  if (jsonType(value) === 'message' || jsonType(value) === 'joined' || jsonType(value) === 'left') {
    return `${receiver} got a message that was not due: most likely a second copy of one already received. ${ONLY_THROUGH_REDIS}`;
  }
  return undefined;
}

/**
 * `sender` says `text`; every one of `hearers` must receive it next, under one id, greater than
 * `after`. Resolves with that id.
 */
async function sayAcross(sender: ScriptedClient, text: string, hearers: ScriptedClient[], after: number, previous?: string): Promise<number> {
  sender.send(jsonChat.say(text));
  const copies = await Promise.all(
    hearers.map((hearer) =>
      explained(
        hearer.nextJson(jsonChat.message(sender.name, text), {
          explain: (value) =>
            jsonType(value) === 'message' && (value as { text?: unknown }).text === previous
              ? `${hearer.name} received ${JSON.stringify(previous)} twice. ${ONLY_THROUGH_REDIS}`
              : explainMessage(text, value, hearer === sender),
        }),
        (failure) =>
          failure.details.received === 'nothing'
            ? `A chat line reaches every joined user of every instance. Publish it to Redis, and have every instance subscribe and pass what it hears to its own users.`
            : undefined,
      ),
    ),
  );
  const ids = copies.map((copy) => copy.id as number);
  if (new Set(ids).size > 1) {
    throw new CheckFailure(`The copies of ${sender.name}'s ${JSON.stringify(text)} had different ids (${ids.join(', ')}).`, {
      expected: 'one id, the same in every copy',
      received: hearers.map((hearer, i) => `${hearer.name}: ${ids[i]}`).join(', '),
      explanation: 'Give the message its id once, before publishing it, and publish the whole message: every instance passes on the same object.',
    });
  }
  if (ids[0]! <= after) {
    throw new CheckFailure(`${sender.name}'s ${JSON.stringify(text)} had the id ${ids[0]}, after a chat line with the id ${after}.`, {
      expected: `an id greater than ${after}`,
      received: `id ${ids[0]}`,
      explanation:
        'Ids are one sequence across every instance: a counter in each process numbers its own lines 1, 2, 3… whatever the others did. ' +
        'Take each id from one counter in Redis: const id = await redis.incr("chat:next-id").',
    });
  }
  return ids[0]!;
}

/** How a server gives up on a Redis it cannot reach at start. */
const giveUp =
  'Until the first connection succeeds, give up: ' +
  'createClient({ url, socket: { reconnectStrategy: (retries, cause) => (started ? 1000 : cause) } }) makes connect() reject. ' +
  'Catch that, console.error a line naming Redis, and process.exit(1).';

/** Whether the program wrote a line naming Redis on its standard error. */
const saysRedis = (program: RunningProgram) =>
  program.stderr
    .text()
    .split('\n')
    .some((line) => line.includes('Redis'));

const checks: ServerCheck[] = [
  ...jsonProtocolChecks(LEEWAY).filter((check) => REUSED.includes(check.id)),
  ...robustnessChecks(servedByJsonChat(), ['not-joined']),
  acrossInstances({
    id: 'across-join',
    name: `welcomes each user with the users of every instance, and shows a join on one instance on the other within ${JOIN_SEEN_WITHIN_MS} ms`,
    cast: ['Yusuf', 'Bruno', 'Celia', 'Dario'],
    run: async (a, b, cast) => {
      const [yusuf] = await joinAcross(cast, [['Yusuf', a]]);
      const joinedAt = performance.now();
      const bruno = cast.join('Bruno', { at: b, users: ['Yusuf'], explain: (value) => explainLocalWelcome('Bruno', b, ['Yusuf'], value) });
      await explained(yusuf!.expectJson(jsonChat.joined('Bruno'), { explain: (value) => explainAcross('Yusuf', value) }), (failure) =>
        failure.details.received === 'nothing'
          ? `Bruno joined on ${b.name}, and Yusuf, on ${a.name}, was never told. Publish the "joined" to Redis; every instance subscribes and passes it on to its own users.`
          : undefined,
      );
      const tookMs = Math.round(performance.now() - joinedAt);
      if (tookMs > JOIN_SEEN_WITHIN_MS) {
        throw new CheckFailure(`Yusuf, on ${a.name}, heard of Bruno's join on ${b.name} ${tookMs} ms after Bruno sent it.`, {
          expected: `within ${JOIN_SEEN_WITHIN_MS} ms`,
          received: `${tookMs} ms`,
          explanation: 'Publish as soon as the join is handled and pass on what the subscription hears at once: no polling of a list, no timer.',
        });
      }
      await bruno;
      const celia = cast.join('Celia', { at: a, users: ['Yusuf', 'Bruno'], explain: (value) => explainLocalWelcome('Celia', a, ['Bruno'], value) });
      for (const user of [yusuf!, bruno]) user.expectJson(jsonChat.joined('Celia'), { explain: (value) => explainAcross(user.name, value) });
      await explained(Promise.all([celia, yusuf!, bruno]), 'Celia joined on server A: every other user, on either instance, hears of it once.');
      const dario = cast.join('Dario', {
        at: b,
        users: ['Yusuf', 'Bruno', 'Celia'],
        explain: (value) => explainLocalWelcome('Dario', b, ['Yusuf', 'Celia'], value),
      });
      for (const user of [yusuf!, bruno, celia]) user.expectJson(jsonChat.joined('Dario'), { explain: (value) => explainAcross(user.name, value) });
      await explained(
        Promise.all([dario, yusuf!, bruno, celia]),
        'Dario joined on server B: every other user, on either instance, hears of it once, and nothing before it.',
      );
    },
  }),
  acrossInstances({
    id: 'across-messages',
    name: 'passes every chat line to every joined user of every instance once, in the order sent, with ids increasing across instances',
    cast: ['Elio', 'Fatou', 'Gemma', 'Hugo'],
    run: async (a, b, cast) => {
      const users = await joinAcross(cast, [
        ['Elio', a],
        ['Fatou', b],
        ['Gemma', a],
        ['Hugo', b],
      ]);
      const [elio, fatou, gemma, hugo] = users as [ScriptedClient, ScriptedClient, ScriptedClient, ScriptedClient];
      let lastId = 0;
      let previous: string | undefined;
      for (const [sender, text] of [
        [elio, 'one, from server A'],
        [fatou, 'two, from server B'],
        [gemma, 'three, from server A'],
        [hugo, 'four, from server B'],
        [elio, 'five, from server A'],
      ] as const) {
        lastId = await sayAcross(sender, text, users, lastId, previous);
        previous = text;
      }
      const burst = Array.from({ length: 10 }, (_, i) => `burst ${i + 1} of 10`);
      for (const text of burst) fatou.send(jsonChat.say(text));
      await Promise.all(
        users.map(async (user) => {
          let seen = lastId;
          for (const [i, text] of burst.entries()) {
            const copy = await user.nextJson(jsonChat.message('Fatou', text), {
              explain: (value) =>
                jsonType(value) === 'message' && (value as { text?: unknown }).text === (burst[i - 1] ?? previous)
                  ? `${user.name} received ${JSON.stringify(burst[i - 1] ?? previous)} twice. ${ONLY_THROUGH_REDIS}`
                  : jsonType(value) === 'message' && burst.includes((value as { text: string }).text)
                    ? "The lines arrived out of order. Handle each connection's messages one after another: publish a line only once the one before it is published."
                    : explainMessage(text, value),
            });
            if ((copy.id as number) <= seen)
              throw new CheckFailure(`Fatou's ${JSON.stringify(text)} reached ${user.name} with the id ${copy.id}, not above ${seen}.`, {
                explanation: 'Ids increase in the order the lines were sent: take each from one Redis counter (INCR), one line after another.',
              });
            seen = copy.id as number;
          }
        }),
      );
    },
  }),
  acrossInstances({
    id: 'across-names',
    name: 'refuses a name in use on another instance, in any mix of capitals, and gives a name asked for at once on both to one user',
    cast: ['Ines', 'Jonas', ...SAME_NAME_AT_ONCE.flat()],
    run: async (a, b, cast, ctx) => {
      const [ines] = await joinAcross(cast, [['Ines', a]]);
      const jonas = cast.connect('Jonas', b);
      for (const typed of ['Ines', 'ines', ' INES ']) {
        jonas.send(jsonChat.join(typed)).expectJson(jsonChat.error('name-taken'), {
          explain: (value) =>
            jsonType(value) === 'welcome'
              ? `Ines has joined on ${a.name}, and ${JSON.stringify(typed)} was let in on ${b.name}. Names are unique across instances: claim them in Redis (HSETNX on the lower-cased name), not in a Map of this process.`
              : undefined,
        });
      }
      await jonas;
      ctx.note('Jonas was refused three times; now Jonas joins as Jonas, and that is the first thing Ines hears of.');
      await Promise.all([
        jonas.send(jsonChat.join('Jonas')).expectJson(jsonChat.welcome('Jonas')),
        ines!.expectJson(jsonChat.joined('Jonas'), {
          explain: (value) => (jsonType(value) === 'joined' ? 'A refused join is announced to nobody.' : explainAcross('Ines', value)),
        }),
      ]);
      ctx.note(
        `${SAME_NAME_AT_ONCE.map((names) => names.join(', ')).join('; ')}: each four ask for one name at the same moment, the second on server B, ` +
          'the others on server A; one of each four gets it, the others "name-taken".',
      );
      const groups = SAME_NAME_AT_ONCE.map(([x, y, z, w]) => [cast.connect(x, a), cast.connect(y, b), cast.connect(z, a), cast.connect(w, a)]);
      // Every connection is open before anyone asks, and Redis holds still while the joins
      // arrive, so that every instance's lookups and claims meet there at once.
      await Promise.all(groups.flat());
      await ctx.holdRedis(HOLD_REDIS_MS);
      const answered = await Promise.all(
        groups.map((group) =>
          Promise.all(
            group.map((user) =>
              user.send(jsonChat.join(user.name)).nextJson({ type: like.that('"welcome" or "error"', (type) => type === 'welcome' || type === 'error') }),
            ),
          ),
        ),
      );
      for (const [i, answers] of answered.entries()) {
        const names = SAME_NAME_AT_ONCE[i]!.join(', ');
        const welcomed = answers.filter((answer) => answer.type === 'welcome').length;
        if (welcomed !== 1 || answers.some((answer) => answer.type === 'error' && answer.code !== 'name-taken')) {
          throw new CheckFailure(
            `${names} asked for the same name at once, three on one instance and one on another, and ${welcomed === 0 ? 'none' : welcomed} ${welcomed === 1 ? 'was' : 'were'} let in.`,
            {
              expected: 'one welcome, and "name-taken" for the others',
              received: answers.map((answer) => JSON.stringify(answer)).join(', '),
              explanation:
                'Looking a name up in Redis and then adding it are two steps, and another connection can take the name between them. Claim it ' +
                'in one step that fails when the name is there: HSETNX chat:names <lower-cased name> <name> (or SADD, which says whether it added).',
            },
          );
        }
      }
    },
  }),
  acrossInstances({
    id: 'across-leave',
    name: 'tells the users of every instance once when a user leaves, cleanly or not, and frees the name on every instance',
    cast: ['Lena', 'Milo', 'Nora', 'milo'],
    run: async (a, b, cast) => {
      const [lena, milo, nora] = await joinAcross(cast, [
        ['Lena', a],
        ['Milo', b],
        ['Nora', b],
      ]);
      await milo!.close(1000);
      const notTold = (failure: CheckFailure) =>
        failure.details.received === 'nothing'
          ? `Milo left ${b.name}; every remaining user, on every instance, must be told. Publish the "left" to Redis in the 'close' handler.`
          : undefined;
      await explained(
        Promise.all([lena!, nora!].map((user) => user.expectJson(jsonChat.left('Milo'), { explain: (value) => explainAcross(user.name, value) }))),
        notTold,
      );
      await sayAcross(nora!, 'Milo has gone.', [lena!, nora!], 0, undefined).catch((failure: unknown) => {
        throw failure instanceof CheckFailure && /twice|not due/.test(failure.details.explanation ?? '')
          ? new CheckFailure(failure.message, { ...failure.details, explanation: `A user's "left" reached someone twice. ${ONLY_THROUGH_REDIS}` })
          : failure;
      });
      const notFreed = `Milo has left, so "milo" is free on every instance: remove the name from the presence in Redis when its user leaves.`;
      const again = cast.join('milo', { at: a, users: ['Lena', 'Nora'], explain: (value) => (jsonType(value) === 'error' ? notFreed : undefined) });
      for (const user of [lena!, nora!]) user.expectJson(jsonChat.joined('milo'));
      await explained(Promise.all([again, lena!, nora!]), notFreed);
      await nora!.drop();
      await explained(
        lena!.expectJson(jsonChat.left('Nora')),
        `Nora's connection to ${b.name} dropped without a close frame: a leave all the same, told to every instance.`,
      );
    },
  }),
  {
    id: 'sigterm',
    name: `on SIGTERM an instance tells the others' users that its users left, frees their names, closes with 1001 and exits within ${seconds(SHUTDOWN_WITHIN_MS)}`,
    needs: ['message'],
    run: async (ctx) => {
      // The last check on the instances: server A does not come back.
      const [a, b] = await ctx.instances();
      const cast = jsonChatCast(ctx, ['Olga', 'Pavel', 'Quentin', 'olga', 'PAVEL'], LEEWAY);
      const [olga, pavel, quentin] = await joinAcross(cast, [
        ['Olga', a!],
        ['Pavel', a!],
        ['Quentin', b!],
      ]);
      a!.signal('SIGTERM');
      const signalledAt = performance.now();
      const left = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const notice = await explained(quentin!.nextJson({ type: 'left' }, { explain: (value) => explainAcross('Quentin', value) }), (failure) =>
          failure.details.received === 'nothing'
            ? "Quentin, on server B, was not told that server A's users left. On SIGTERM, publish a \"left\" for each of the instance's users before closing anything: process.once('SIGTERM', shutDown)."
            : undefined,
        );
        if (left.has(notice.name as string) || !['Olga', 'Pavel'].includes(notice.name as string)) {
          throw new CheckFailure(`Quentin was told ${JSON.stringify(notice.name)} left${left.has(notice.name as string) ? ' twice' : ''}.`, {
            expected: 'one "left" for Olga and one for Pavel',
            explanation: ONLY_THROUGH_REDIS,
          });
        }
        left.add(notice.name as string);
      }
      await Promise.all([olga!, pavel!].map((user) => closedWith1001(user, SHUTDOWN_WITHIN_MS)));
      if (!(await a!.program.allGone(Math.max(0, signalledAt + SHUTDOWN_WITHIN_MS - performance.now())))) {
        throw new CheckFailure(`After SIGTERM, server A was still running ${seconds(SHUTDOWN_WITHIN_MS)} after the signal.`, {
          expected: 'the process ends by itself',
          received: 'still running',
          explanation: 'Something still keeps Node.js running: the WebSocket server (wss.close()), or the Redis connections (await client.quit() for both).',
        });
      }
      ctx.note('Server A has gone: "olga" and "PAVEL" are free again, and Quentin hears of them next.');
      const freed = (value: unknown) =>
        jsonType(value) === 'error'
          ? "Server A's users are still in the shared presence. On SIGTERM, remove each of the instance's users from Redis, as when its connection closes."
          : undefined;
      const newOlga = cast.join('olga', { at: b!, users: ['Quentin'], explain: freed });
      quentin!.expectJson(jsonChat.joined('olga'), { explain: (value) => explainAcross('Quentin', value) });
      await explained(Promise.all([newOlga, quentin!]), 'Server A has shut down: its users are gone from the presence.');
      await explained(
        Promise.all([cast.join('PAVEL', { at: b!, users: ['Quentin', 'olga'], explain: freed }), quentin!.expectJson(jsonChat.joined('PAVEL'))]),
        'Server A has shut down: its users are gone from the presence.',
      );
    },
  },
  {
    id: 'redis-unreachable',
    name: 'says so on standard error, in a line with "Redis", and exits with a failure status when Redis cannot be reached at start',
    standalone: true,
    concurrent: true,
    withoutRedis: true,
    run: async (ctx) => {
      const url = await ctx.unusedRedisUrl();
      ctx.note(`nothing listens at ${url}`);
      const { program, listening } = await ctx.launch('server', { REDIS_URL: url });
      // As long as a start may take: the program has to load before it can fail. A server that
      // listens before it connects to Redis learns at once that Redis is not there: once it
      // listens, it has a shorter while to give up.
      const [startMs, afterListeningMs] = [scaled(5_000), scaled(2_000)];
      const gaveUpWaiting = new Promise<string>((resolve) => {
        setTimeout(() => resolve(`after ${seconds(startMs)}`), startMs).unref();
        void listening.then((listens) => {
          if (listens) setTimeout(() => resolve(`${seconds(afterListeningMs)} after it began listening`), afterListeningMs).unref();
        });
      });
      const exit = await Promise.race([program.exited, gaveUpWaiting]);
      if (typeof exit === 'string') {
        throw new CheckFailure(`With REDIS_URL=${url}, where nothing listens, your server was still running ${exit}.`, {
          expected: 'a line with "Redis" on standard error, and an exit with a failure status',
          received: program.outputSummary(),
          explanation: saysRedis(program)
            ? 'Your server wrote about Redis, yet kept running. If it caught the failed connect(), stop there: after console.error, ' +
              `process.exit(1). If connect() never failed, the client is still trying (a Redis client retries a failed connection forever by default). ${giveUp}`
            : `A Redis client retries a failed connection forever by default, so the server hangs without a word. ${giveUp}`,
        });
      }
      if (exit.code === 0 || (exit.code === null && exit.signal === null)) {
        throw new CheckFailure('Your server could not reach Redis and exited with status 0, which says all went well.', {
          expected: 'a failure status: process.exit(1)',
          received: program.outputSummary(),
        });
      }
      if (!saysRedis(program)) {
        throw new CheckFailure('Your server exited without a line containing "Redis" on standard error.', {
          expected: 'a line on standard error that says Redis could not be reached (console.error)',
          received: program.outputSummary(),
          explanation: 'Whoever runs the server needs to know why it stopped: console.error(`Cannot reach Redis at ${url}: ...`).',
        });
      }
    },
  },
];

export default defineLesson({
  kind: 'server',
  // A join seen across instances within 250 ms: beside another lesson, server B's first join
  // (its code not yet warm) took longer twice in 25 runs of every lesson.
  runsAlone: true,
  redis: true,
  instances: 2,
  checks,
  hints: [
    'Start with two Redis connections: const commands = createClient({ url }); const subscriber = commands.duplicate(). A connection that has subscribed can only listen; everything else goes through the other. Give both an "error" listener.',
    'Before listening: await both connect() calls, then await subscriber.subscribe("chat:events", (text) => deliver(JSON.parse(text))). deliver() sends to this instance\'s joined users: the joined, message and left of every instance.',
    'Never send a joined, message or left to your own users directly: publish it (await commands.publish("chat:events", JSON.stringify(message))), and your own subscription delivers it here too. Skip the newcomer when delivering its own "joined".',
    'Ids: const id = await commands.incr("chat:next-id"), one counter for every instance. Names: await commands.hSetNX("chat:names", name.toLowerCase(), name) is false when the name is taken anywhere; a sorted set scored with another INCR keeps the join order for welcome.users.',
    "Each connection's messages now wait on Redis: chain them (turn = turn.then(work)) so a say is never published before its join, nor a left before the last say. On close: remove the name from Redis, then publish the left.",
    'On SIGTERM: wss.close(), for each of your users remove the name and publish the left, close each socket with 1001, then quit() both Redis connections; the process ends by itself. At start, a reconnectStrategy that returns the error until the first connection makes connect() reject: print a line with Redis on stderr and exit(1).',
  ],
  demo: (port) => runScaleOutDemo(port),
});
