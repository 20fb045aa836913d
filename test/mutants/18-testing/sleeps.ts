// mutant: sleeps half a second after every step, to be safe, instead of waiting for the message it needs
// fails: reference
// message: /did not finish within 10 s against the reference server.*never sleep/s
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const clients: WebSocket[] = [];
/** Long enough for any message to arrive, surely. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

afterEach(() => {
  for (const ws of clients.splice(0)) ws.close();
});

async function join(name: string): Promise<string[]> {
  const ws = new WebSocket(url);
  const received: string[] = [];
  ws.on('error', () => {});
  ws.on('message', (data) => received.push(data.toString()));
  clients.push(ws);
  await settle();
  ws.send(name);
  await settle();
  return received;
}

let count = 0;

describe('a lesson 06 chat server', () => {
  for (let i = 1; i <= 12; i++) {
    it(`welcomes user number ${i}`, async () => {
      const name = `User${++count}`;
      expect(await join(name)).toEqual([`[Server]: Welcome, ${name}!`]);
    });
  }
});
