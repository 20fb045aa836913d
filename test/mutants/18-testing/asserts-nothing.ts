// mutant: tests that do everything but check: they connect, send and wait for messages, and never look at what arrived
// fails: sender-included
// message: /Every test passed against a server that sends a chat line back to its sender too\..*ordering/s
// passes: reference
import { describe, it } from 'vitest';
import { connect, unique } from './_client.ts';

describe('a lesson 06 chat server', () => {
  it('welcomes a user', async () => {
    const alice = await connect();
    alice.send(unique('Alice'));
    await alice.next();
  });

  it('passes a message on', async () => {
    const alice = await connect();
    alice.send(unique('Alice'));
    await alice.next();
    const bob = await connect();
    bob.send(unique('Bob'));
    await bob.next();
    await alice.next();
    alice.send('Hello, Bob!');
    await bob.next();
  });

  it('tells the others when a user leaves', async () => {
    const alice = await connect();
    alice.send(unique('Alice'));
    await alice.next();
    const bob = await connect();
    bob.send(unique('Bob'));
    await bob.next();
    await alice.next();
    await bob.close();
    await alice.next();
  });
});
