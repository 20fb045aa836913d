// mutant: gives each reply a millisecond to arrive, then looks at what has come, instead of waiting for it
// fails: reference
// message: /against the reference server, a correct lesson 06 chat server.*false alarm.*(timing|fixed)/s
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const clients: WebSocket[] = [];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  for (const ws of clients.splice(0)) ws.close();
});

/** A connected client and the messages it has received so far. */
async function connect(): Promise<{ ws: WebSocket; received: string[] }> {
  const ws = new WebSocket(url);
  const received: string[] = [];
  ws.on('error', () => {});
  ws.on('message', (data) => received.push(data.toString()));
  clients.push(ws);
  await new Promise((resolve) => ws.once('open', resolve));
  return { ws, received };
}

let count = 0;

describe('a lesson 06 chat server', () => {
  for (let i = 1; i <= 10; i++) {
    it(`welcomes user number ${i}`, async () => {
      const name = `User${++count}`;
      const user = await connect();
      user.ws.send(name);
      await pause(1);
      expect(user.received).toEqual([`[Server]: Welcome, ${name}!`]);
    });
  }
});
