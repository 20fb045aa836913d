// mutant: its clients have no 'error' listener, so once a server has crashed, the next connection's error crashes the test file
// fails: broken-frame
// message: /crashed against a server that crashes when a client sends a broken frame.*'error' listener/s
// passes: reference
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const clients: WebSocket[] = [];

afterEach(() => {
  for (const ws of clients.splice(0)) ws.terminate();
});

async function connect(): Promise<WebSocket> {
  const ws = new WebSocket(url);
  clients.push(ws);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    setTimeout(() => reject(new Error('no connection within 2 s')), 2_000);
  });
  return ws;
}

function next(ws: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => resolve(data.toString()));
    setTimeout(() => reject(new Error('no message within 2 s')), 2_000);
  });
}

describe('a lesson 06 chat server', () => {
  it('keeps serving after a client sends a broken frame', async () => {
    const mallory = await connect();
    const closed = new Promise((resolve) => mallory.once('close', resolve));
    mallory.send('hello', { mask: false });
    await closed;
    const alice = await connect();
    const welcome = next(alice);
    alice.send('Alice');
    expect(await welcome).toBe('[Server]: Welcome, Alice!');
  });
});
