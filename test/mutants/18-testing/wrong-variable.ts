// mutant: reads the server's address from SERVER_URL, which the checker does not set, instead of WS_URL
// fails: reference
// message: /did not run against the reference server.*Invalid URL/s
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const { href } = new URL(process.env.SERVER_URL as string);

describe('a lesson 06 chat server', () => {
  it('welcomes a user by name', async () => {
    const alice = new WebSocket(href);
    alice.on('error', () => {});
    await new Promise((resolve) => alice.once('open', resolve));
    const welcome = new Promise((resolve) => alice.once('message', (data) => resolve(data.toString())));
    alice.send('Alice');
    expect(await welcome).toBe('[Server]: Welcome, Alice!');
    alice.close();
  });
});
