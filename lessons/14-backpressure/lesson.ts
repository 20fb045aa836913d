import {
  CheckFailure,
  CheckSkipped,
  defineLesson,
  explained,
  Flood,
  type MemoryWatch,
  robustnessChecks,
  runSlowClientDemo,
  type Reception,
  type RunningProgram,
  scaled,
  type ScriptedClient,
  seconds,
  type Served,
  type ServerCheckContext,
  UNICODE_MESSAGE,
} from '../../checker/lesson-api.ts';

const KIB = 1024;
const MIB = 1024 * KIB;
/** MAX_BUFFERED_BYTES when the environment does not set it. */
const DEFAULT_LIMIT = MIB;
/** MAX_BUFFERED_BYTES as the check of reading it sets it. */
const SET_LIMIT = 256 * KIB;
/** The contract's flood: 64 MiB published in messages of 16 KiB. */
const MESSAGE_BYTES = 16 * KIB;
const FLOOD_MESSAGES = 4096;
/** What one of them takes on the wire from a server: 2 bytes of header, 2 of length, the text (no mask). */
const FRAME_BYTES = MESSAGE_BYTES + 4;
/**
 * Published before memory is measured, while every client reads: Node.js takes some tens of
 * megabytes of traffic to settle into the memory it needs for it (its young heap grows, freed
 * buffers wait for a collection), and that is not the slow client's doing.
 */
const WARM_UP_MESSAGES = 1024;
/** The most a check publishes to take a client that stopped reading over the limit: 16 MiB, far more than the kernel's buffers and the limit together. */
const OVER_THE_LIMIT_MESSAGES = 1024;
/** At most this many messages published that a fast client has not received yet. */
const WINDOW = 32;
/** The same for the check that only takes carol over the limit and times no delivery: a fuller pipe gets her there sooner. */
const CUT_WINDOW = 128;
const GROWTH_LIMIT = 24 * MIB;
const DELIVERED_WITHIN_MS = 500;
const GONE_WITHIN_MS = 2_000;
/** How long a client that reads again may take to get what waited for it and the close frame. */
const CATCH_UP_MS = 3_000;
/** A client reading again that gets nothing for this long has had all the server still had for it. */
const QUIET_MS = 250;
/**
 * A slow client reads again once the messages in flight have reached the fast clients (what it
 * reads would delay them, and their times are judged), or after this long at most, so that the
 * server's one-second grace is not spent waiting on a busy machine.
 */
const READ_AGAIN_WITHIN_MS = 100;
/**
 * One message larger than the kernel takes in one go (Linux's send buffer grows to 4 MiB at
 * most): right after it is sent, ws counts all of it in bufferedAmount until the last byte is out.
 */
const LARGE_MESSAGE_BYTES = 5 * MIB;

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;
const kib = (bytes: number) => `${Math.round(bytes / KIB)} KiB`;

/**
 * The checker's clients mask their frames with zeros (a mask every server must accept) and
 * trust the text they get (they compare it byte for byte): 64 MiB is then not masked,
 * unmasked and validated twice over, which would cost more time than the whole check.
 */
const CLIENT_OPTIONS = { wsOptions: { generateMask: (mask: Buffer) => void mask.fill(0), skipUTF8Validation: true } };
const connect = (ctx: ServerCheckContext, name: string) => ctx.connect(name, CLIENT_OPTIONS);

// ---- explanations ----------------------------------------------------------------------------

const SENDER_INCLUDED =
  'In this lesson the sender gets its own message too: the hub sends every message to every connected client, ' +
  'the one it came from included (for the sender, it is the proof that the message went through).';

const LOOK_BEFORE_SENDING =
  "Before each send, look at that client's bufferedAmount: when more than MAX_BUFFERED_BYTES is already waiting, close it with 1013 instead of sending.";

const READ_THE_LIMIT =
  'Read the limit once, as a number, with its default: const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024). ' +
  'process.env holds strings, and a string in a sum or a comparison does not behave as the number it spells.';

const AFTER_SEND =
  'Your server closed a client right after sending it one large message, while it was reading it. Look at bufferedAmount before ' +
  'sending: what is still waiting from earlier messages says a client is too slow, not the message you have just handed to ws.';

const CLOSED_FAST_CLIENT =
  'Your server closed a client that reads everything at once. Close only the slow client: the one whose own bufferedAmount is over ' +
  'MAX_BUFFERED_BYTES, looked at client by client in the loop, and go on sending to the others.';

const DROPPED =
  'Your server skipped messages for dave while he was slow, then went on sending him later ones: he now has a hole in his ' +
  "stream and cannot know it. Do not drop a slow client's messages: close it with 1013, and it can reconnect and catch up.";

const TERMINATE =
  'Close a client with 1013 once more than MAX_BUFFERED_BYTES waits for it. carol reads nothing, so she never reads your close frame ' +
  '(it waits behind everything queued for her) and never answers it: after close() her connection, and all that is queued for it, ' +
  'stays in your server until ws gives up after 30 seconds. ' +
  "Call terminate() one second after close(1013) if the client has not closed by then (clear that timer in its 'close' event).";

// ---- clients that arrive and speak -------------------------------------------------------------

/** `sender` sends `text`; every one of `clients` (the sender among them) must receive it next. */
async function everyoneGets(sender: ScriptedClient, text: string, clients: ScriptedClient[], whenClosed?: string): Promise<void> {
  sender.send(text);
  await Promise.all(
    clients.map((client) =>
      explained(client.expectText(text), (failure) => {
        if (failure.details.received === 'nothing')
          return client === sender ? SENDER_INCLUDED : 'Every client gets every message: send it to each open client in wss.clients.';
        return /closed|not open/.test(failure.message) ? whenClosed : undefined;
      }),
    ),
  );
}

/** Connects the clients one at a time; each says it is here, and everyone present receives that, itself included. */
async function arriveInTurn(ctx: ServerCheckContext, names: string[], present: ScriptedClient[] = []): Promise<ScriptedClient[]> {
  const clients = [...present];
  for (const name of names) {
    const client = connect(ctx, name);
    clients.push(client);
    await everyoneGets(client, `${name} is here`, clients);
  }
  return clients;
}

/** Connects the clients at once; once every one is open, the last says they are all here, and everyone receives that. */
async function arriveTogether(ctx: ServerCheckContext, names: string[]): Promise<ScriptedClient[]> {
  const clients = names.map((name) => connect(ctx, name));
  await Promise.all(clients);
  await everyoneGets(clients.at(-1)!, `${names.join(', ')} are here`, clients);
  return clients;
}

/** 64 KiB of text with spaces, so that a cut or changed message shows. */
const TEXT_64_KIB = Array.from({ length: (64 * KIB) / 16 }, (_, i) => `word ${String(i).padStart(10, '0')} `).join('');

// ---- clients that stop reading -----------------------------------------------------------------

/**
 * Works out, from /proc, what must be waiting inside the server for a client that has stopped
 * reading: the bytes of the flood's messages the server was asked to send that client, minus
 * what it has handed to the kernel (what the client read since, plus both kernels' buffers).
 * That is a floor: ws's bufferedAmount may count more, never less.
 */
class StoppedReader {
  /** What the server had written to the client at the last reading of the tables. */
  private writtenLately: number;

  private constructor(
    readonly client: ScriptedClient,
    readonly limit: number,
    private readonly writtenAtStop: number,
  ) {
    this.writtenLately = writtenAtStop;
  }

  /** Watches `client`, which has just stopped reading (with nothing on its way to it); undefined where /proc is missing. */
  static of(client: ScriptedClient, limit: number): StoppedReader | undefined {
    const written = client.bytesWrittenByServer();
    return written === undefined ? undefined : new StoppedReader(client, limit, written);
  }

  /**
   * The first message of the flood (index from 0) the server may not send this client, judged
   * from what the kernel holds now: before it, more than `limit` bytes surely waited in the
   * server. The kernel only ever takes more, so a later look can only move this later.
   * Undefined when the server, having passed on `handled` messages, cannot have gone over the
   * limit yet: then the tables are not even read (reading them stalls the checker for a moment).
   */
  firstRefused(handled: number): number | undefined {
    if (this.floorBefore(handled - 1, this.writtenLately) <= this.limit) return undefined;
    const written = this.client.bytesWrittenByServer();
    if (written === undefined) return undefined;
    this.writtenLately = written;
    return Math.floor((this.limit + written - this.writtenAtStop) / FRAME_BYTES) + 1;
  }

  /** Bytes surely waiting in the server before message `index`, had the server written `written` bytes to the client. */
  private floorBefore(index: number, written: number): number {
    return index * FRAME_BYTES - (written - this.writtenAtStop);
  }

  /** At least this many bytes waited in the server for this client before message `index` (judged now). */
  queuedBefore(index: number): number {
    return this.floorBefore(index, this.client.bytesWrittenByServer() ?? this.writtenLately);
  }
}

/** What dave, who stopped reading, got once he read again. */
interface DaveOutcome {
  limit: number;
  /** The first message (index from 0) the server must not have sent him; undefined if he never went over the limit. */
  refused: number | undefined;
  /** At least this many bytes waited for him when the server passed on that message. */
  queuedAtLeast: number;
  received: number;
  wrongMessage: CheckFailure | undefined;
  close: { code: number; reason: string } | undefined;
}

/**
 * Publishes the flood until the server must have closed `reader`'s client (more than its limit
 * surely waited for it when the server passed on a message), then stops publishing and lets
 * the client read again (soon: its server gives it a second to answer the close): it must get
 * the messages before that one, then a close frame (caughtUp). `look` runs every window of
 * messages. Resolves when every message is published if the client never went over.
 */
async function publishUntilRefused(ctx: ServerCheckContext, flood: Flood, reader: StoppedReader, look: (handled: number) => void): Promise<DaveOutcome> {
  const dave = reader.client;
  let over: { refused: number; queuedAtLeast: number } | undefined;
  let reading: NodeJS.Timeout | undefined;
  let readsAgain = false;
  const readAgain = () => {
    clearTimeout(reading);
    if (!over || readsAgain) return;
    readsAgain = true;
    dave.readAgain();
  };
  await flood.publish({
    stop: (handled) => {
      look(handled);
      const refused = reader.firstRefused(handled);
      // Every receiver has message `refused`, so the server passed it on before this look: the floor holds for it.
      if (refused === undefined || refused >= handled) return false;
      over = { refused, queuedAtLeast: reader.queuedBefore(refused) };
      ctx.note(
        `at least ${kib(over.queuedAtLeast)} waited for ${dave.name} in your server when it passed on message ${refused + 1}, more than ` +
          `MAX_BUFFERED_BYTES (${kib(reader.limit)}): it must have closed ${dave.name} by then. Publishing stops, and ${dave.name} reads again`,
      );
      reading = setTimeout(readAgain, scaled(READ_AGAIN_WITHIN_MS));
      return true;
    },
  });
  if (!over)
    return { limit: reader.limit, refused: undefined, queuedAtLeast: 0, received: flood.reception(dave).received, wrongMessage: undefined, close: undefined };
  readAgain();
  return caughtUp(ctx, flood, reader, over.refused, over.queuedAtLeast, look);
}

/**
 * What the client that reads again gets: the messages before `refused`, then the close frame.
 * If it goes quiet without one, publishing resumes: whatever reaches it next shows, by its
 * number, whether the server went on sending to it, and whether it dropped messages meanwhile.
 */
async function caughtUp(
  ctx: ServerCheckContext,
  flood: Flood,
  reader: StoppedReader,
  refused: number,
  queuedAtLeast: number,
  look: (handled: number) => void,
): Promise<DaveOutcome> {
  const dave = reader.client;
  await dave;
  const reception = flood.reception(dave);
  const judged = (r: Reception) => r.peer.closeInfo !== undefined || r.failure !== undefined || r.received > refused;
  const startedAt = ctx.transcript.now();
  if ((await flood.until(dave, judged, scaled(CATCH_UP_MS), scaled(QUIET_MS))) === 'quiet') {
    ctx.note(`${dave.name} has read all that came (${reception.received} messages), and no close frame: publishing resumes`);
    let settled = false;
    const verdict = flood.until(dave, judged, scaled(CATCH_UP_MS) - (ctx.transcript.now() - startedAt)).then(() => (settled = true));
    await flood.publish({
      stop: (handled) => {
        look(handled);
        return settled;
      },
    });
    await verdict;
  }
  const close = dave.closeInfo && { code: dave.closeInfo.code, reason: dave.closeInfo.reason };
  ctx.note(`${dave.name} read ${reception.received} messages of the flood${close ? `, then the connection closed with code ${close.code}` : ''}`);
  return { limit: reader.limit, refused, queuedAtLeast, received: reception.received, wrongMessage: reception.failure, close };
}

/** Fails unless dave got every message up to the one the server had to refuse him, in order, then a close with 1013. */
function judgeDave(dave: DaveOutcome): void {
  if (dave.wrongMessage) {
    throw new CheckFailure(`${dave.wrongMessage.message} (dave had fallen behind, then read again)`, { ...dave.wrongMessage.details, explanation: DROPPED });
  }
  if (dave.refused === undefined) {
    throw new CheckFailure(`dave never went more than ${kib(dave.limit)} behind, as far as the kernel showed, so this could not be judged.`);
  }
  if (dave.received > dave.refused) {
    throw new CheckFailure(
      `Your server sent dave message ${dave.refused + 1} although at least ${kib(dave.queuedAtLeast)} was already waiting for him, ` +
        `more than MAX_BUFFERED_BYTES (${kib(dave.limit)}).`,
      {
        expected: `a close frame with code 1013 before message ${dave.refused + 1}`,
        received: `message ${dave.refused + 1}${dave.close ? `, and later a close with code ${dave.close.code}` : ''}`,
        explanation: `${LOOK_BEFORE_SENDING} ${READ_THE_LIMIT}`,
      },
    );
  }
  if (!dave.close) {
    throw new CheckFailure(`dave read everything that waited for him, but no close frame came within ${seconds(scaled(CATCH_UP_MS))}.`, {
      explanation: `${LOOK_BEFORE_SENDING} ${READ_THE_LIMIT}`,
    });
  }
  if (dave.close.code !== 1013) {
    const explanation =
      dave.close.code === 1006
        ? "dave's connection ended without a close frame: your server cut it at once. First close(1013, reason), which tells a client " +
          'that can still read why; terminate() only if it has not closed within a second.'
        : 'Close a slow client with code 1013 (Try Again Later): the server is overloaded by this client, which may come back later.';
    throw new CheckFailure(`dave's connection was closed with code ${dave.close.code}, not 1013.`, {
      expected: 'close with code 1013',
      received: `close with code ${dave.close.code}`,
      explanation,
    });
  }
}

// ---- the run with slow readers -------------------------------------------------------------------

/** What the run with slow readers saw; shared by the checks that judge it (they run on the same server). */
interface SlowReaderRun {
  /** Why the run could not carry on (a fast client lost messages or its connection), if it could not. */
  broken: CheckFailure | undefined;
  /** The fast client that waited longest for a message of the flood, and how long. */
  slowest: { name: string; ms: number; message: number };
  /** Undefined where /proc is missing: then memory and sockets cannot be watched. */
  measured: { dave: DaveOutcome; memory: { baseline: number; peak: number } } | undefined;
  servesAfter: CheckFailure | undefined;
}

const runs = new WeakMap<RunningProgram, Promise<SlowReaderRun>>();

/** The run with slow readers on this check's server: the first check that asks starts it, the others share it. */
function slowReaderRun(ctx: ServerCheckContext): Promise<SlowReaderRun> {
  let run = runs.get(ctx.server);
  if (!run) {
    run = runWithSlowReaders(ctx);
    runs.set(ctx.server, run);
  } else {
    ctx.note('this check judges the run of the check "fast-clients", on the same server; its steps are in that check\'s transcript');
  }
  return run;
}

async function runWithSlowReaders(ctx: ServerCheckContext): Promise<SlowReaderRun> {
  const run: SlowReaderRun = { broken: undefined, slowest: { name: '', ms: 0, message: 0 }, measured: undefined, servesAfter: undefined };
  let fast: ScriptedClient[];
  try {
    fast = await ctx.keepsServing(floodPastSlowReaders(ctx, run), 'a flood of messages', 'Look at the error your server printed as it stopped.');
  } catch (failure) {
    if (!(failure instanceof CheckFailure)) throw failure;
    run.broken = failure;
    return run;
  }
  try {
    ctx.note('frank connects: his message must reach alice, erin and himself');
    await arriveInTurn(ctx, ['frank'], fast);
  } catch (failure) {
    if (!(failure instanceof CheckFailure)) throw failure;
    run.servesAfter = failure;
  }
  return run;
}

/**
 * alice and bob warm the server up. carol, dave and erin arrive, bob leaves; then carol and dave
 * stop reading, and alice publishes the contract's 64 MiB while alice and erin read everything
 * (erin, who came after carol and dave, catches a loop that stops at the first slow client).
 * dave reads again once the server must have closed him; carol never does. Fills in `run`;
 * resolves with the fast clients.
 */
async function floodPastSlowReaders(ctx: ServerCheckContext, run: SlowReaderRun): Promise<ScriptedClient[]> {
  const [alice, bob] = (await arriveInTurn(ctx, ['alice', 'bob'])) as [ScriptedClient, ScriptedClient];
  const flood = (label: string, count: number, receivers: ScriptedClient[], laggards: ScriptedClient[] = []) =>
    new Flood({ label, publisher: alice, receivers, laggards, count, size: MESSAGE_BYTES, window: WINDOW, transcript: ctx.transcript });
  ctx.note(
    `alice publishes ${WARM_UP_MESSAGES} messages of 16 KiB (${mib(WARM_UP_MESSAGES * MESSAGE_BYTES)}) to warm your server up; alice and bob read everything`,
  );
  const warmUp = flood('warm-up', WARM_UP_MESSAGES, [alice, bob]);
  try {
    await warmUp.publish();
  } finally {
    warmUp.end();
  }
  const arrived = await arriveInTurn(ctx, ['carol', 'dave', 'erin'], [alice, bob]);
  const [carol, dave, erin] = arrived.slice(2) as [ScriptedClient, ScriptedClient, ScriptedClient];
  ctx.note('bob leaves');
  await bob.close();
  await Promise.all([carol.stopReading(), dave.stopReading()]);
  const daveReader = StoppedReader.of(dave, DEFAULT_LIMIT);
  const memory = ctx.watchMemory();
  ctx.note(
    `carol and dave have stopped reading. alice publishes ${FLOOD_MESSAGES} messages of 16 KiB (${mib(FLOOD_MESSAGES * MESSAGE_BYTES)}), and alice and erin read them; ` +
      `MAX_BUFFERED_BYTES is not set, so your server's limit is its default, ${kib(DEFAULT_LIMIT)}. Its resident memory is ${memory ? mib(memory.baseline) : 'not measurable here'} now`,
  );
  const main = flood('flood', FLOOD_MESSAGES, [alice, erin], [carol, dave]);
  const look = () => void memory?.sample();
  try {
    const daveOutcome = daveReader && (await publishUntilRefused(ctx, main, daveReader, look));
    await main.publish({
      stop: () => {
        look();
        return false;
      },
    });
    memory?.sample();
    const slowest = main.slowest();
    run.slowest = { name: slowest.peer.name, ms: slowest.slowest.ms, message: slowest.slowest.index + 1 };
    ctx.note(
      `alice and erin received all ${FLOOD_MESSAGES} messages in order; the longest wait was ${Math.round(run.slowest.ms)} ms (${run.slowest.name}, message ${run.slowest.message})`,
    );
    if (memory && daveOutcome) {
      noteMemory(ctx, memory);
      run.measured = { dave: daveOutcome, memory: { baseline: memory.baseline, peak: memory.peak } };
    }
  } finally {
    main.end();
  }
  return [alice, erin];
}

/**
 * carol stops reading for good, on a server of the check's own: alice publishes until more than
 * the limit surely waits for carol (alice and erin read everything), then the check watches the
 * server let go of her connection. Most of its time is the server's grace: it runs beside the
 * lesson's other checks.
 */
async function cutsSilentClient(ctx: ServerCheckContext): Promise<void> {
  // Together, not in turn: this check's time is the lesson's.
  const [alice, erin, carol] = (await arriveTogether(ctx, ['alice', 'erin', 'carol'])) as [ScriptedClient, ScriptedClient, ScriptedClient];
  await carol.stopReading();
  const reader = StoppedReader.of(carol, DEFAULT_LIMIT);
  if (!reader) throw new CheckSkipped('Not run: watching sockets needs /proc (Linux).');
  ctx.note('carol has stopped reading, for good. alice publishes messages of 16 KiB, and alice and erin read them');
  const flood = new Flood({
    label: 'cut',
    publisher: alice,
    receivers: [alice, erin],
    laggards: [carol],
    count: OVER_THE_LIMIT_MESSAGES,
    size: MESSAGE_BYTES,
    window: CUT_WINDOW,
    transcript: ctx.transcript,
  });
  let over: { message: number; at: number } | undefined;
  try {
    await flood.publish({
      stop: (handled) => {
        const refused = reader.firstRefused(handled);
        if (refused === undefined || refused >= handled) return false;
        over = { message: refused + 1, at: flood.arrivalOf(refused) };
        return true;
      },
    });
  } finally {
    flood.end();
  }
  if (!over) throw new CheckFailure(`carol never went more than ${kib(DEFAULT_LIMIT)} behind, as far as the kernel showed, so this could not be judged.`);
  const bound = scaled(GONE_WITHIN_MS);
  ctx.note(
    `by message ${over.message}, more than ${kib(DEFAULT_LIMIT)} surely waited for carol in your server: it must let go of her connection within ${seconds(bound)}`,
  );
  const goneAt = await watchUntilGone(ctx, carol, over.at + bound);
  if (goneAt === undefined) {
    throw new CheckFailure(
      `Your server still held carol's connection ${seconds(bound)} after it passed on message ${over.message}, when more than ${kib(DEFAULT_LIMIT)} already waited for her.`,
      { expected: `her connection ended within ${seconds(bound)}`, received: 'still open', explanation: TERMINATE },
    );
  }
  ctx.note(
    `carol went over the limit by message ${over.message}, at ${Math.round(over.at)} ms; your server let go of her connection at ${Math.round(goneAt)} ms`,
  );
}

/** Looks every 10 ms whether the server still holds carol's connection, until it does not or `deadline` (transcript clock) has passed. */
async function watchUntilGone(ctx: ServerCheckContext, carol: ScriptedClient, deadline: number): Promise<number | undefined> {
  for (;;) {
    const now = ctx.transcript.now();
    if (carol.serverHoldsConnection() === false) {
      ctx.note("your server has let go of carol's connection");
      return now;
    }
    if (now > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function noteMemory(ctx: ServerCheckContext, memory: MemoryWatch): void {
  ctx.note(`your server's resident memory: ${mib(memory.baseline)} before the flood, ${mib(memory.peak)} at most during it (+${mib(memory.growth)})`);
}

/** The measured part of the run, or a skip when this machine cannot measure it (no /proc). */
async function measured(ctx: ServerCheckContext): Promise<NonNullable<SlowReaderRun['measured']>> {
  const run = await slowReaderRun(ctx);
  if (!run.measured) throw new CheckSkipped('Not run: watching memory and sockets needs /proc (Linux).');
  return run.measured;
}

// ---- the lesson ------------------------------------------------------------------------------

/** How the shared robustness checks prove a client is served: its own message comes back to it. */
const served: Served = {
  open: (ctx, name) => roundTrip(connect(ctx, name), `ping from ${name}`),
  again: (_ctx, client, round) => roundTrip(client, `ping ${round} from ${client.name}`),
};

/** The client's own message comes back to it; other clients' pings may arrive in between. */
function roundTrip(client: ScriptedClient, text: string): ScriptedClient {
  return client.send(text).expectText(text, { skip: (m) => m.text !== text && /^ping (\d+ )?from /.test(m.text) });
}

export default defineLesson({
  kind: 'server',
  // 64 MiB floods, held to 500 ms and 24 MiB: beside another lesson's checks they would measure that lesson too.
  runsAlone: true,
  checks: [
    {
      id: 'fan-out',
      name: 'sends every text message to every client, the sender included, exactly as sent and in order',
      run: async (ctx) => {
        const clients = await arriveInTurn(ctx, ['alice', 'bob', 'carol']);
        const [alice, bob, carol] = clients as [ScriptedClient, ScriptedClient, ScriptedClient];
        await everyoneGets(alice, 'good morning, everyone', clients);
        await everyoneGets(bob, UNICODE_MESSAGE, clients);
        await everyoneGets(carol, TEXT_64_KIB, clients);
        ctx.note('alice sends 20 messages at once: everyone must receive them in her order');
        const burst = Array.from({ length: 20 }, (_, i) => `burst message ${i + 1} of 20 from alice`);
        for (const text of burst) alice.send(text);
        await Promise.all(clients.map((client) => burst.reduce((steps, text) => steps.expectText(text), client).then(() => undefined)));
      },
    },
    {
      id: 'before-send',
      name: 'looks at bufferedAmount before sending, not after: a client that reads is not closed, even after one message larger than the limit',
      needs: ['fan-out'],
      run: async (ctx) => {
        const [alice, bob] = (await arriveInTurn(ctx, ['alice', 'bob'])) as [ScriptedClient, ScriptedClient];
        ctx.note(
          `alice sends one message of ${mib(LARGE_MESSAGE_BYTES)}, ${LARGE_MESSAGE_BYTES / DEFAULT_LIMIT} times MAX_BUFFERED_BYTES: right after your server ` +
            'has sent it, most of it still waits in bufferedAmount, while alice and bob read it',
        );
        const large = new Flood({
          label: 'large',
          publisher: alice,
          receivers: [alice, bob],
          count: 1,
          size: LARGE_MESSAGE_BYTES,
          window: 1,
          transcript: ctx.transcript,
        });
        try {
          await explained(large.publish(), (failure) => (/closed|not open/.test(failure.message) ? AFTER_SEND : undefined));
        } finally {
          large.end();
        }
        ctx.note('both have all of it, so nothing waits for them now: the next message must reach them as any other');
        await everyoneGets(bob, 'and a small one after it', [alice, bob], AFTER_SEND);
      },
    },
    {
      id: 'fast-clients',
      name: `while two clients stop reading, the clients that keep up receive all ${(FLOOD_MESSAGES * MESSAGE_BYTES) / MIB} MiB, in order, each message within ${DELIVERED_WITHIN_MS} ms`,
      needs: ['fan-out'],
      run: async (ctx) => {
        const run = await slowReaderRun(ctx);
        if (run.broken) {
          const closed = /connection closed \(code 1013\)/.test(run.broken.message);
          throw new CheckFailure(run.broken.message, {
            ...run.broken.details,
            explanation: run.broken.details.explanation ?? (closed ? CLOSED_FAST_CLIENT : undefined),
          });
        }
        const bound = scaled(DELIVERED_WITHIN_MS);
        if (run.slowest.ms > bound) {
          throw new CheckFailure(
            `${run.slowest.name} waited ${Math.round(run.slowest.ms)} ms for message ${run.slowest.message} of the flood; every message must reach the clients that keep up within ${bound} ms.`,
            {
              expected: `every message within ${bound} ms`,
              received: `message ${run.slowest.message} after ${Math.round(run.slowest.ms)} ms`,
              explanation:
                'A slow client must not hold up the others. Never wait for one client (a loop that awaits, or polls bufferedAmount until it drops) ' +
                'before sending to the next: look at bufferedAmount, decide, and go on at once.',
            },
          );
        }
      },
    },
    {
      id: 'closes-slow',
      name: `closes a slow client with 1013 once more than MAX_BUFFERED_BYTES is waiting for it (unset here: the default, ${kib(DEFAULT_LIMIT)})`,
      needs: ['fast-clients'],
      run: async (ctx) => judgeDave((await measured(ctx)).dave),
    },
    {
      id: 'cuts-silent',
      name: `ends the connection of a client that never reads (terminate) within ${GONE_WITHIN_MS / 1000} s of it going over the limit`,
      // Mostly waiting out the server's grace, on a server of its own, beside the other checks; its
      // few megabytes go out beside the big run's warm-up, which is timed by nothing.
      needs: ['before-send'],
      concurrent: true,
      run: cutsSilentClient,
    },
    {
      id: 'memory',
      name: `grows by less than ${GROWTH_LIMIT / MIB} MiB of resident memory while ${(FLOOD_MESSAGES * MESSAGE_BYTES) / MIB} MiB is published past clients that stop reading`,
      needs: ['fast-clients'],
      run: async (ctx) => {
        const { memory } = await measured(ctx);
        const growth = memory.peak - memory.baseline;
        if (growth >= GROWTH_LIMIT) {
          throw new CheckFailure(
            `Your server's resident memory grew by ${mib(growth)} (from ${mib(memory.baseline)} to ${mib(memory.peak)}) while ${(FLOOD_MESSAGES * MESSAGE_BYTES) / MIB} MiB was published and carol read nothing.`,
            {
              expected: `less than ${GROWTH_LIMIT / MIB} MiB more`,
              received: `${mib(growth)} more`,
              explanation: `Everything your server sends to a client that does not read waits in that client's queue, in your server's memory, without end. ${LOOK_BEFORE_SENDING}`,
            },
          );
        }
      },
    },
    {
      id: 'serves-after',
      name: 'keeps serving everyone else after the slow clients are gone',
      needs: ['fast-clients'],
      run: async (ctx) => {
        const run = await slowReaderRun(ctx);
        if (run.servesAfter) throw run.servesAfter;
      },
    },
    {
      id: 'reads-limit',
      name: `reads MAX_BUFFERED_BYTES from the environment: set to ${kib(SET_LIMIT)}, a slow client is closed once more than that waits for it`,
      // Not after closes-slow: a limit misread from the environment (a string, say) may still close dave there, or not.
      needs: ['fast-clients'],
      env: { MAX_BUFFERED_BYTES: String(SET_LIMIT) },
      run: async (ctx) => {
        const [alice, dave] = (await arriveInTurn(ctx, ['alice', 'dave'])) as [ScriptedClient, ScriptedClient];
        await dave.stopReading();
        const reader = StoppedReader.of(dave, SET_LIMIT);
        if (!reader) throw new CheckSkipped('Not run: watching sockets needs /proc (Linux).');
        ctx.note(`your server runs with MAX_BUFFERED_BYTES=${SET_LIMIT}. dave has stopped reading, and alice publishes messages of 16 KiB`);
        const flood = new Flood({
          label: 'limit',
          publisher: alice,
          receivers: [alice],
          laggards: [dave],
          count: OVER_THE_LIMIT_MESSAGES,
          size: MESSAGE_BYTES,
          window: WINDOW,
          transcript: ctx.transcript,
        });
        try {
          judgeDave(await publishUntilRefused(ctx, flood, reader, () => {}));
        } finally {
          flood.end();
        }
      },
    },
    {
      id: 'strict-limit',
      name: 'closes a client only when MORE than MAX_BUFFERED_BYTES waits: set to 0, clients with nothing waiting keep receiving',
      needs: ['fan-out'],
      env: { MAX_BUFFERED_BYTES: '0' },
      run: async (ctx) => {
        ctx.note('your server runs with MAX_BUFFERED_BYTES=0; alice and bob read everything at once, so nothing waits for them');
        const strict =
          'A client is too slow when MORE than MAX_BUFFERED_BYTES waits for it: with 0, a client with nothing waiting (bufferedAmount 0) ' +
          'is not. Compare with >, not >=.';
        const alice = connect(ctx, 'alice');
        await everyoneGets(alice, 'alice is here', [alice], strict);
        const bob = connect(ctx, 'bob');
        await everyoneGets(bob, 'bob is here', [alice, bob], strict);
        await everyoneGets(alice, 'still here, bob?', [alice, bob], strict);
      },
    },
    ...robustnessChecks(served, ['fan-out']),
  ],
  hints: [
    'Start with the hub: on every message, loop over wss.clients and send the message to each open client, the sender included. Forward it as text: client.send(data, { binary: isBinary }).',
    'Read the limit once at the start: const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);',
    'In the loop, before client.send(...), look at client.bufferedAmount: the bytes ws has been given for that client and could not hand to the kernel yet. More than maxBufferedBytes means the client is too slow.',
    'For a client that is too slow: client.close(1013, "too slow"), and skip the send. The others go on as before (continue, not return).',
    "A client that does not read never reads your close frame either: after close(), start a timer, setTimeout(() => client.terminate(), 1000), and clear it in the client's 'close' event.",
  ],
  demo: (port) => runSlowClientDemo('backpressure', port),
});
