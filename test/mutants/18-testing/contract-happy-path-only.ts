// mutant: tests only the happy path (welcome, join notice, chat delivered, leave notices), so the sender-included, untrimmed-name, empty-name-accepted, un-joined-hears-chat and crash-on-broken-frame servers all pass
// breaks: "every wrong server makes at least one test fail"
// fails: sender-included
// message: /sends a chat line back to its sender too/
// (written from the contract alone, by someone who had not seen the checks)
import { describe, it, expect, afterEach } from 'vitest';
import WebSocket from 'ws';

const SERVER_URL = process.env.WS_URL ?? 'ws://localhost:8080';

// Every wait has a deadline: a silent server makes a test fail, never hang.
const WAIT_MS = 1500;

// Names no other test uses (and no other run against the same server): a
// leftover "left the chat" line from an earlier test can never be mistaken
// for one of ours. "Ann1x..." is never a substring of "Ann12x...".
const RUN = Math.random().toString(36).slice(2, 7);
let seq = 0;
function uniqueName(base: string): string {
  seq += 1;
  return `${base}${seq}x${RUN}`;
}

interface Client {
  ws: WebSocket;
  lines: string[];
  binaryFrames: number;
  send(text: string): void;
  /** Resolves with the index of the first line (at or after `from`) that matches. */
  waitFor(match: (line: string) => boolean, what: string, from?: number): Promise<number>;
}

const openClients: Client[] = [];

function connect(): Promise<Client> {
  const ws = new WebSocket(SERVER_URL);
  const listeners = new Set<() => void>();
  let closed = false;
  const client: Client = {
    ws,
    lines: [],
    binaryFrames: 0,
    send: (text) => ws.send(text),
    waitFor: (match, what, from = 0) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${what} within ${WAIT_MS} ms; got ${JSON.stringify(client.lines)}`));
        }, WAIT_MS);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        function check() {
          for (let i = from; i < client.lines.length; i++) {
            if (match(client.lines[i])) {
              finish();
              resolve(i);
              return;
            }
          }
          if (closed) {
            finish();
            reject(new Error(`connection closed while waiting for ${what}; got ${JSON.stringify(client.lines)}`));
          }
        }
        listeners.add(check);
        check();
      }),
  };
  // Listen from the very start so no line is ever missed.
  ws.on('message', (data, isBinary) => {
    if (isBinary) client.binaryFrames += 1;
    client.lines.push(data.toString());
    for (const check of [...listeners]) check();
  });
  ws.on('close', () => {
    closed = true;
    for (const check of [...listeners]) check();
  });
  openClients.push(client);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`could not connect to ${SERVER_URL} within ${WAIT_MS} ms`)), WAIT_MS);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(client);
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not connect to ${SERVER_URL}: ${err.message}`));
    });
  });
}

const exactly = (text: string) => (line: string) => line === text;
const welcome = (name: string) => `[Server]: Welcome, ${name}!`;
const joined = (name: string) => `[Server]: ${name} has joined the chat.`;
const left = (name: string) => `[Server]: ${name} has left the chat.`;

/** Connect, send a name, wait for the welcome. */
async function join(name: string): Promise<Client> {
  const client = await connect();
  client.send(name);
  await client.waitFor(exactly(welcome(name.trim())), `welcome for ${name.trim()}`);
  return client;
}

/** Only the lines that mention one of this test's own users. */
function about(lines: string[], names: string[]): string[] {
  return lines.filter((line) => names.some((name) => line.includes(name)));
}

function closeClient(client: Client): Promise<void> {
  const { ws } = client;
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, 1000);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1000);
  });
}

// Close every client after each test, and wait until it is really closed.
afterEach(async () => {
  await Promise.all(openClients.splice(0).map(closeClient));
});

describe('lesson 06 chat server', () => {
  it('welcomes a new user by name', async () => {
    const name = uniqueName('Ann');
    const client = await connect();
    client.send(name);
    await client.waitFor(() => true, 'reply to the name');
    expect(client.lines[0]).toBe(welcome(name));
  });

  it('tells every other joined user about a newcomer', async () => {
    const [a, b, c] = [uniqueName('Ann'), uniqueName('Bob'), uniqueName('Cat')];
    const ann = await join(a);
    const bob = await join(b);
    await ann.waitFor(exactly(joined(b)), `join notice for ${b}`);
    const cat = await join(c);
    await ann.waitFor(exactly(joined(c)), `join notice for ${c} at ${a}`);
    await bob.waitFor(exactly(joined(c)), `join notice for ${c} at ${b}`);
    expect(cat.lines).toContain(welcome(c));
  });

  it('sends a chat line to every other joined user as [name]: text', async () => {
    const [a, b, c] = [uniqueName('Ann'), uniqueName('Bob'), uniqueName('Cat')];
    const ann = await join(a);
    const bob = await join(b);
    const cat = await join(c);
    ann.send('hello there');
    await bob.waitFor(exactly(`[${a}]: hello there`), `Ann's line at ${b}`);
    await cat.waitFor(exactly(`[${a}]: hello there`), `Ann's line at ${c}`);
  });

  it('tells the others when a user leaves cleanly, after that user\'s last line', async () => {
    const [a, b, c] = [uniqueName('Ann'), uniqueName('Bob'), uniqueName('Cat')];
    const ann = await join(a);
    const bob = await join(b);
    const cat = await join(c);
    await bob.waitFor(exactly(joined(c)), `join notice for ${c}`);
    ann.send('bye');
    ann.ws.close(1000);
    for (const [who, client] of [[b, bob], [c, cat]] as const) {
      await client.waitFor(exactly(left(a)), `leave notice for ${a} at ${who}`);
      expect(about(client.lines, [a])).toEqual([`[${a}]: bye`, left(a)]);
    }
  });

  it('tells the others when a user drops without a close frame, and keeps serving', async () => {
    const [a, b, d] = [uniqueName('Ann'), uniqueName('Bob'), uniqueName('Dan')];
    const ann = await join(a);
    const bob = await join(b);
    await ann.waitFor(exactly(joined(b)), `join notice for ${b}`);
    ann.ws.terminate(); // TCP connection dropped, no close frame
    await bob.waitFor(exactly(left(a)), `leave notice for ${a}`);
    const dan = await join(d);
    await bob.waitFor(exactly(joined(d)), `join notice for ${d}`);
    dan.send('still up?');
    await bob.waitFor(exactly(`[${d}]: still up?`), `Dan's line`);
  });
});
