// mutant: waits for the leave notice with no deadline of its own, so against a server that never sends it the test only stops at vitest's limit
// fails: no-leave
// message: /hung against a server that never tells anyone that a user has left: vitest stopped it after 5\.0 s.*deadline of its own/s
// passes: reference
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const clients: WebSocket[] = [];

afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});

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
  it('tells the others when a user leaves', async () => {
    const alice = await join('Alice');
    const notice = next(alice);
    const bob = await join('Bob');
    expect(await notice).toBe('[Server]: Bob has joined the chat.');
    const goodbye = next(alice);
    bob.close();
    expect(await goodbye).toBe('[Server]: Bob has left the chat.');
  });
});
