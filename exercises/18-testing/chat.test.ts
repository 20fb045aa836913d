// Lesson 18 · Test your own server: a vitest suite for a lesson 06 chat server at WS_URL.
// `npm run check -- 18` runs it against a correct server and against wrong ones: it passes when
// every test passes on the correct server and every wrong server makes some test fail.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
/** How long one wait may take: far longer than a message needs, far shorter than a hang. */
const DEADLINE_MS = 2_000;

// ---- the chat's lines (lesson 06's contract) ----------------------------------------------

const welcome = (name: string) => `[Server]: Welcome, ${name}!`;
// TODO: the others, as you need them: "[Server]: Bob has joined the chat.", "[Server]: Bob has
// left the chat.", "[Bob]: a line", and "[Server]: Name cannot be empty."

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

  // TODO: a test for each rule of lesson 06's contract. Each wrong server the checker tries
  // breaks one of them, and some test of yours must fail on each:
  // - the users already there hear of a newcomer; the newcomer gets only its welcome
  // - the name is trimmed; an empty name is refused, and the next message is the next try
  // - a line goes to every other joined user as "[Name]: line", never back to its sender
  // - one user's lines arrive in the order they were sent
  // - a leave is announced when the connection closes, and when it drops (client.drop()),
  //   after the last thing the user said
  // - a client that has not joined hears nothing, and its leaving is not announced
  // - the server keeps serving everyone after a client sends a broken frame
  // Give each test users of its own (unique), and prove "nothing arrived" by what arrived next.
});
