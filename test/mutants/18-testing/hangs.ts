// mutant: waits for each message with no deadline of its own, and raised vitest's limit to a minute "because tests timed out"
// fails: no-leave
// message: /Your suite did not finish within 10 s.*deadline of its own/s
// passes: reference
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const clients: WebSocket[] = [];

afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});

/** The next message: it will come. */
const next = (ws: WebSocket) => new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));

async function join(name: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  clients.push(ws);
  await new Promise((resolve) => ws.once('open', resolve));
  const welcome = next(ws);
  ws.send(name);
  expect(await welcome).toBe(`[Server]: Welcome, ${name}!`);
  return ws;
}

describe('a lesson 06 chat server', () => {
  it('tells the others when a user leaves', { timeout: 60_000 }, async () => {
    const alice = await join('Alice');
    const notice = next(alice);
    const bob = await join('Bob');
    expect(await notice).toBe('[Server]: Bob has joined the chat.');
    const goodbye = next(alice);
    bob.close();
    expect(await goodbye).toBe('[Server]: Bob has left the chat.');
  });
});
