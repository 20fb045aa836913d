// Not a mutant: the good helpers of the model suite (solutions/18-testing/chat.test.ts), for
// the mutants whose mistake is in their tests rather than in how they connect and wait.
import { afterEach, expect } from 'vitest';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
/** How long one wait may take: far longer than a message needs, far shorter than a hang. */
const DEADLINE_MS = 2_000;

// ---- the chat's lines (lesson 06's contract) ----------------------------------------------

export const welcome = (name: string) => `[Server]: Welcome, ${name}!`;
export const joined = (name: string) => `[Server]: ${name} has joined the chat.`;
export const left = (name: string) => `[Server]: ${name} has left the chat.`;
export const line = (name: string, text: string) => `[${name}]: ${text}`;
export const EMPTY_NAME = '[Server]: Name cannot be empty.';

// ---- helpers: clients that wait with deadlines, closed after every test --------------------

/** A connection to the server, with the messages it received waiting in an inbox. */
export interface Client {
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
export async function connect(): Promise<Client> {
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
export async function join(name: string): Promise<Client> {
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
export async function joinInTurn(...names: string[]): Promise<Client[]> {
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
export const unique = (name: string) => `${name}${++namesGiven}`;
