// mutant: checks that an un-joined client hears no chat lines but lets [Server] lines through, so a server that sends join and leave notices to clients that never joined passes
// breaks: "A client that has not joined yet receives nothing: no chat lines, no join or leave notices."
// fails: unjoined-leave
// message: /announces the leaving of a client that never joined/
// (written from the contract alone, by someone who had not seen the checks)
import { describe, it, expect, afterEach } from 'vitest';
import WebSocket from 'ws';
import net from 'node:net';
import crypto from 'node:crypto';

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

/**
 * A raw TCP client that does the opening handshake and then sends a frame
 * WITHOUT a mask. Clients must mask, so `ws` rejects it with close code 1002.
 * A server with no 'error' listener on the connection crashes here.
 */
function sendUnmaskedFrame(): Promise<void> {
  const url = new URL(SERVER_URL);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 80);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    let upgraded = false;
    let head = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the broken connection within ${WAIT_MS} ms`));
    }, WAIT_MS);
    socket.on('connect', () => {
      socket.write(
        [
          `GET ${url.pathname}${url.search} HTTP/1.1`,
          `Host: ${url.host}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('data', (chunk) => {
      if (upgraded) return; // the server's close frame (1002), if it is still alive
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      if (!head.startsWith('HTTP/1.1 101')) {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
        return;
      }
      upgraded = true;
      socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69])); // FIN + text, length 2, no mask bit, "hi"
    });
    socket.on('error', () => {}); // a reset shows up as 'close'; the test then checks the server
    socket.on('close', () => {
      clearTimeout(timer);
      if (upgraded) resolve();
      else reject(new Error('connection closed before the handshake finished'));
    });
  });
}

describe('lesson 06 chat server', () => {
  it('welcomes a new user by name, as its very first message, in a text frame', async () => {
    const name = uniqueName('Ann');
    const client = await connect();
    client.send(name);
    await client.waitFor(() => true, 'reply to the name');
    expect(client.lines[0]).toBe(welcome(name));
    expect(client.binaryFrames).toBe(0);
  });

  it('tells every other joined user about a newcomer, but not the newcomer itself', async () => {
    const [a, b, c] = [uniqueName('Ann'), uniqueName('Bob'), uniqueName('Cat')];
    const ann = await join(a);
    const bob = await join(b);
    await ann.waitFor(exactly(joined(b)), `join notice for ${b}`);
    const cat = await join(c);
    await ann.waitFor(exactly(joined(c)), `join notice for ${c} at ${a}`);
    await bob.waitFor(exactly(joined(c)), `join notice for ${c} at ${b}`);

    // Absence by ordering: anything the server sent Cat about its own joining
    // was sent before Ann's marker, which Ann sends only after seeing the notice.
    ann.send('marker');
    const m = await cat.waitFor(exactly(`[${a}]: marker`), 'the marker');
    expect(about(cat.lines.slice(0, m), [a, b, c])).toEqual([welcome(c)]);
    expect(ann.binaryFrames + bob.binaryFrames + cat.binaryFrames).toBe(0);
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

  it('does not send a chat line back to its sender (proved by ordering, not by waiting)', async () => {
    const [a, b] = [uniqueName('Ann'), uniqueName('Bob')];
    const ann = await join(a);
    const bob = await join(b);
    ann.send('ping');
    await bob.waitFor(exactly(`[${a}]: ping`), 'ping at Bob');
    // The server wrote any copy for Ann in the same broadcast that reached Bob,
    // so it is on Ann's connection before Bob's reply.
    bob.send('pong');
    const m = await ann.waitFor(exactly(`[${b}]: pong`), 'pong at Ann');
    expect(ann.lines.slice(0, m)).not.toContain(`[${a}]: ping`);
  });

  it('trims whitespace around the name everywhere it is used', async () => {
    const [a, d] = [uniqueName('Ann'), uniqueName('Dan')];
    const ann = await join(a);
    const dan = await connect();
    dan.send(`   ${d}\t `);
    await dan.waitFor(() => true, 'reply to the padded name');
    expect(dan.lines[0]).toBe(welcome(d));
    const j = await ann.waitFor((l) => l.includes(d), `join notice for ${d}`);
    expect(ann.lines[j]).toBe(joined(d));
    dan.send('hi');
    const h = await ann.waitFor((l) => l.endsWith(']: hi'), `Dan's line`);
    expect(ann.lines[h]).toBe(`[${d}]: hi`);
  });

  it('refuses an empty name and keeps waiting for a real one', async () => {
    const [a, b, e] = [uniqueName('Ann'), uniqueName('Bob'), uniqueName('Eve')];
    const ann = await join(a);
    const bob = await join(b);
    await ann.waitFor(exactly(joined(b)), `join notice for ${b}`);
    const eve = await connect();
    eve.send('   ');
    await eve.waitFor(() => true, 'reply to a blank name');
    eve.send('');
    await eve.waitFor(() => true, 'reply to an empty name', 1);
    expect(eve.lines).toEqual(['[Server]: Name cannot be empty.', '[Server]: Name cannot be empty.']);

    // Eve is still not joined: a chat line now must not reach her.
    ann.send('not for eve');
    await bob.waitFor(exactly(`[${a}]: not for eve`), 'the line at Bob');

    eve.send(e);
    const w = await eve.waitFor(exactly(welcome(e)), `welcome for ${e}`);
    expect(eve.lines.slice(0, w + 1)).toEqual([
      '[Server]: Name cannot be empty.',
      '[Server]: Name cannot be empty.',
      welcome(e),
    ]);
    const j = await ann.waitFor(exactly(joined(e)), `join notice for ${e}`);
    // No join notice for a nameless user reached Ann before Eve's real one.
    expect(ann.lines.slice(0, j).filter((l) => /^\[Server\]:\s*has joined the chat\.$/.test(l))).toEqual([]);
  });

  it('a client that has not joined does not hear the chat', async () => {
    const [a, b, u] = [uniqueName('Ann'), uniqueName('Bob'), uniqueName('Una')];
    const una = await connect(); // connected, but no name sent yet
    const ann = await join(a);
    const bob = await join(b);
    await ann.waitFor(exactly(joined(b)), `join notice for ${b}`);
    bob.send('can una hear this?');
    await ann.waitFor(exactly(`[${b}]: can una hear this?`), `Bob's line at Ann`);
    await closeClient(bob);
    await ann.waitFor(exactly(left(b)), `leave notice for ${b}`);

    // Everything the server sent Una so far is on her connection before her welcome.
    // Server announcements are public; what she must not see is anyone's chat.
    una.send(u);
    const w = await una.waitFor(exactly(welcome(u)), `welcome for ${u}`);
    expect(una.lines.slice(0, w).filter((line) => !line.startsWith('[Server]'))).toEqual([]);
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

  it('keeps notices and lines in the order they happened', async () => {
    const [a, b] = [uniqueName('Ann'), uniqueName('Bob')];
    const ann = await join(a);
    const bob = await join(b);
    bob.send('one');
    bob.send('two');
    bob.ws.close(1000);
    await ann.waitFor(exactly(left(b)), `leave notice for ${b}`);
    expect(about(ann.lines, [b])).toEqual([joined(b), `[${b}]: one`, `[${b}]: two`, left(b)]);
  });

  it("keeps each sender's lines in order at every receiver", async () => {
    const names = [0, 1, 2, 3, 4].map(() => uniqueName('Usr'));
    const clients: Client[] = [];
    for (const name of names) clients.push(await join(name));
    await clients[0].waitFor(exactly(joined(names[4])), 'the last join notice');
    const COUNT = 20;
    for (let i = 0; i < COUNT; i++) clients.forEach((c) => c.send(`m${i}`));
    for (const [r, receiver] of clients.entries()) {
      for (const [s, sender] of names.entries()) {
        if (s === r) continue;
        await receiver.waitFor(exactly(`[${sender}]: m${COUNT - 1}`), `last line of ${sender} at ${names[r]}`);
        const got = receiver.lines.filter((l) => l.startsWith(`[${sender}]: `));
        expect(got).toEqual(Array.from({ length: COUNT }, (_, i) => `[${sender}]: m${i}`));
      }
    }
  });

  // Last, so that a crash here cannot hide which other rule a server breaks.
  it('keeps running after a client sends a broken (unmasked) frame', async () => {
    const [a, b] = [uniqueName('Ann'), uniqueName('Bob')];
    const ann = await join(a);
    await sendUnmaskedFrame();
    const bob = await join(b);
    await ann.waitFor(exactly(joined(b)), `join notice for ${b} after the broken frame`);
    bob.send('alive');
    await ann.waitFor(exactly(`[${b}]: alive`), `Bob's line after the broken frame`);
  });
});
