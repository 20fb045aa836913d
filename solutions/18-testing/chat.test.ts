// Lesson 18 · Test your own server: a vitest suite for a lesson 06 chat server at WS_URL.
// Every wait has a deadline, every test has users of its own, every client is closed after
// its test, and "nothing arrived" is proved by what arrived next, never by waiting a while.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
/** How long one wait may take: far longer than a message needs, far shorter than a hang. */
const DEADLINE_MS = 2_000;

// ---- the chat's lines (lesson 06's contract) ----------------------------------------------

const welcome = (name: string) => `[Server]: Welcome, ${name}!`;
const joined = (name: string) => `[Server]: ${name} has joined the chat.`;
const left = (name: string) => `[Server]: ${name} has left the chat.`;
const line = (name: string, text: string) => `[${name}]: ${text}`;
const EMPTY_NAME = '[Server]: Name cannot be empty.';

// ---- helpers: clients that wait with deadlines, closed after every test --------------------

/** A connection to the server, with the messages it received waiting in an inbox. */
interface Client {
  /** The user's name, once it has joined. */
  name: string;
  send(text: string): void;
  /** The next message; fails the test if none comes within the deadline. */
  next(): Promise<string>;
  /** Closes with a close frame, and resolves once the connection is closed. */
  close(): Promise<void>;
  /** Ends the connection with no close frame, as a crashed program or a lost network does. */
  drop(): void;
  /** Resolves with the close code once the connection has closed, whoever closed it. */
  closed(): Promise<number>;
  /** The raw WebSocket, for what the helpers do not cover. */
  ws: WebSocket;
}

/** Every client the running test opened; afterEach closes them, whether the test passed or not. */
const clients = new Set<Client>();

afterEach(async () => {
  await Promise.all([...clients].map((client) => client.close()));
  clients.clear();
});

/** Opens a connection; resolves once it is open (so the server has accepted it). */
async function connect(): Promise<Client> {
  const ws = new WebSocket(url);
  const inbox: string[] = [];
  let closeCode: number | undefined;
  /** Called whenever something happens to the connection: it opens, a message arrives, it closes. */
  let arrived = () => {};
  ws.on('open', () => arrived());
  ws.on('message', (data) => {
    inbox.push(data.toString());
    arrived();
  });
  ws.on('close', (code) => {
    closeCode = code;
    arrived();
  });
  // A connection that fails also closes, so the waits below learn of it from 'close'. Without a
  // listener, ws would throw the error, and crash the whole test file instead of failing a test.
  ws.on('error', () => {});

  /**
   * Waits until `ready` gives a value, asking now and whenever something arrives; fails after
   * the deadline, or when `ready` throws.
   */
  const waitFor = <T>(what: string, ready: () => T | undefined) =>
    new Promise<T>((resolve, reject) => {
      const settle = (how: () => void) => {
        clearTimeout(timer);
        arrived = () => {};
        how();
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`no ${what} within ${DEADLINE_MS} ms`))), DEADLINE_MS);
      arrived = () => {
        try {
          const value = ready();
          if (value !== undefined) settle(() => resolve(value));
        } catch (error) {
          settle(() => reject(error));
        }
      };
      arrived();
    });

  const client: Client = {
    name: '',
    ws,
    send: (text) => ws.send(text),
    next: () =>
      waitFor('message', () => {
        if (inbox.length > 0) return inbox.shift()!;
        if (closeCode !== undefined) throw new Error(`the connection closed (code ${closeCode}) before the next message`);
        return undefined;
      }),
    closed: () => waitFor('close', () => closeCode),
    close: async () => {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close(1000);
      await client.closed();
    },
    drop: () => ws.terminate(),
  };
  clients.add(client);
  await waitFor('open connection', () => {
    if (closeCode !== undefined) throw new Error(`could not connect to ${url}`);
    return ws.readyState === WebSocket.OPEN ? true : undefined;
  });
  return client;
}

/** Connects and joins as `name`, expecting the welcome. */
async function join(name: string): Promise<Client> {
  const client = await connect();
  client.send(name);
  expect(await client.next()).toBe(welcome(name));
  client.name = name;
  return client;
}

/**
 * Joins users one after another, each earlier user reading the newcomer's join notice: every
 * inbox is empty afterwards, so each test starts from a known state.
 */
async function joinInTurn(...names: string[]): Promise<Client[]> {
  const users: Client[] = [];
  for (const name of names) {
    const newcomer = await join(name);
    for (const user of users) expect(await user.next()).toBe(joined(name));
    users.push(newcomer);
  }
  return users;
}

/** A name no other test uses, so a late notice about another test's user can never pass for one of ours. */
let namesGiven = 0;
const unique = (name: string) => `${name}${++namesGiven}`;

// ---- the tests ------------------------------------------------------------------------------

describe('a lesson 06 chat server', () => {
  it('welcomes a user by the name it sends first', async () => {
    const name = unique('Alice');
    const alice = await connect();
    alice.send(name);
    expect(await alice.next()).toBe(welcome(name));
  });

  it('tells the users already there, and only them, when someone joins', async () => {
    const [alice, bob] = await joinInTurn(unique('Alice'), unique('Bob'));
    // Had Bob been told of his own joining, that notice would reach him before Alice's line.
    alice!.send('Hi Bob!');
    expect(await bob!.next()).toBe(line(alice!.name, 'Hi Bob!'));
  });

  it('trims the spaces around a name, and only there', async () => {
    const [alice] = await joinInTurn(unique('Alice'));
    const name = unique('Bob');
    const bob = await connect();
    bob.send(`  ${name} \t`);
    expect(await bob.next()).toBe(welcome(name));
    expect(await alice!.next()).toBe(joined(name));
    bob.send('  spaces kept  ');
    expect(await alice!.next()).toBe(line(name, '  spaces kept  '));
  });

  it('refuses an empty name and keeps waiting for one', async () => {
    const [alice] = await joinInTurn(unique('Alice'));
    const name = unique('Carol');
    const carol = await connect();
    for (const blank of ['   ', '']) {
      carol.send(blank);
      expect(await carol.next()).toBe(EMPTY_NAME);
    }
    carol.send(name);
    expect(await carol.next()).toBe(welcome(name));
    // The blank names were no joins: Alice's next message is Carol's one join notice.
    expect(await alice!.next()).toBe(joined(name));
  });

  it('passes a message on to every other joined user', async () => {
    const [alice, bob, carol] = await joinInTurn(unique('Alice'), unique('Bob'), unique('Carol'));
    alice!.send('Hello, everyone!');
    expect(await bob!.next()).toBe(line(alice!.name, 'Hello, everyone!'));
    expect(await carol!.next()).toBe(line(alice!.name, 'Hello, everyone!'));
  });

  it('never sends a message back to its sender', async () => {
    const [alice, bob] = await joinInTurn(unique('Alice'), unique('Bob'));
    alice!.send('Is this thing on?');
    expect(await bob!.next()).toBe(line(alice!.name, 'Is this thing on?'));
    // The server handled Alice's line before Bob's answer: had it sent her line back to her,
    // it would reach her first. One connection keeps its order.
    bob!.send('Loud and clear.');
    expect(await alice!.next()).toBe(line(bob!.name, 'Loud and clear.'));
  });

  it("keeps each sender's messages in order", async () => {
    const [alice, bob] = await joinInTurn(unique('Alice'), unique('Bob'));
    const texts = Array.from({ length: 20 }, (_, i) => `message ${i + 1} of 20`);
    for (const text of texts) alice!.send(text);
    for (const text of texts) expect(await bob!.next()).toBe(line(alice!.name, text));
  });

  it('tells the others when a user closes the connection', async () => {
    const [alice, bob] = await joinInTurn(unique('Alice'), unique('Bob'));
    await bob!.close();
    // Carol connects and joins after Bob has gone, so the server has long handled his leaving
    // when her name arrives: Alice must hear of it first. (Without a leave notice, Carol's join
    // notice comes instead, and the test fails at once instead of at its deadline.)
    const carol = await join(unique('Carol'));
    expect(await alice!.next()).toBe(left(bob!.name));
    expect(await alice!.next()).toBe(joined(carol.name));
  });

  it("tells the others when a user's connection drops without a close frame", async () => {
    const [alice, bob] = await joinInTurn(unique('Alice'), unique('Bob'));
    bob!.drop();
    await bob!.closed();
    const carol = await join(unique('Carol'));
    expect(await alice!.next()).toBe(left(bob!.name));
    expect(await alice!.next()).toBe(joined(carol.name));
  });

  it("announces a user's leaving after the last thing they said", async () => {
    const [alice, bob] = await joinInTurn(unique('Alice'), unique('Bob'));
    bob!.send('Bye!');
    await bob!.close();
    const carol = await join(unique('Carol'));
    expect(await alice!.next()).toBe(line(bob!.name, 'Bye!'));
    expect(await alice!.next()).toBe(left(bob!.name));
    expect(await alice!.next()).toBe(joined(carol.name));
  });

  it('sends nothing to a client that has not joined yet', async () => {
    const lurker = await connect();
    const [alice, bob] = await joinInTurn(unique('Alice'), unique('Bob'));
    alice!.send('Anyone else here?');
    expect(await bob!.next()).toBe(line(alice!.name, 'Anyone else here?'));
    await bob!.close();
    const carol = await join(unique('Carol'));
    expect(await alice!.next()).toBe(left(bob!.name));
    expect(await alice!.next()).toBe(joined(carol.name));
    // Had the lurker been sent any of that, it would arrive before its welcome.
    const name = unique('Lurker');
    lurker.send(name);
    expect(await lurker.next()).toBe(welcome(name));
  });

  it('announces nothing when a client that never joined leaves', async () => {
    const [alice] = await joinInTurn(unique('Alice'));
    await (await connect()).close();
    const ghost = await connect();
    ghost.drop();
    await ghost.closed();
    // Any notice about those two would reach Alice before Carol's.
    const carol = await join(unique('Carol'));
    expect(await alice!.next()).toBe(joined(carol.name));
  });

  it('keeps serving everyone after a client sends a broken frame', async () => {
    const [alice] = await joinInTurn(unique('Alice'));
    const mallory = await connect();
    // A client must mask its frames; this one does not, so ws on the server rejects it (1002).
    mallory.ws.send('hello', { mask: false });
    await mallory.closed();
    const carol = await join(unique('Carol'));
    expect(await alice!.next()).toBe(joined(carol.name));
  });
});
