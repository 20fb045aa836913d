// mutant: tests only the happy path (names, join notices, lines to the others), and nothing of leaving, order or bad input
// fails: no-leave
// message: /Every test passed against a server that never tells anyone that a user has left\..*has left the chat/s
// passes: reference, sender-included
import { describe, expect, it } from 'vitest';
import { connect, joined, joinInTurn, line, unique, welcome } from './_client.ts';

describe('a lesson 06 chat server', () => {
  it('welcomes a user by name', async () => {
    const name = unique('Alice');
    const alice = await connect();
    alice.send(name);
    expect(await alice.next()).toBe(welcome(name));
  });

  it('tells the others when someone joins', async () => {
    const [alice] = await joinInTurn(unique('Alice'));
    const name = unique('Bob');
    const bob = await connect();
    bob.send(name);
    expect(await bob.next()).toBe(welcome(name));
    expect(await alice!.next()).toBe(joined(name));
  });

  it('passes a line on to the others, not to its sender', async () => {
    const [alice, bob] = await joinInTurn(unique('Alice'), unique('Bob'));
    alice!.send('Hi Bob!');
    expect(await bob!.next()).toBe(line(alice!.name, 'Hi Bob!'));
    bob!.send('Hi Alice!');
    expect(await alice!.next()).toBe(line(bob!.name, 'Hi Alice!'));
  });
});
