// mutant: checks that the right words appear somewhere in a message (toContain) rather than the exact line
// fails: untrimmed-name
// message: /Every test passed against a server that keeps the spaces around a name\..*"  Bob "/s
// passes: reference
import { describe, expect, it } from 'vitest';
import { connect, joinInTurn, unique } from './_client.ts';

describe('a lesson 06 chat server', () => {
  it('welcomes a user by name, trimmed', async () => {
    const name = unique('Bob');
    const bob = await connect();
    bob.send(`  ${name} `);
    expect(await bob.next()).toContain(name);
  });

  it('tells the others, with the trimmed name', async () => {
    const [alice] = await joinInTurn(unique('Alice'));
    const name = unique('Bob');
    const bob = await connect();
    bob.send(`  ${name} `);
    expect(await bob.next()).toContain('Welcome');
    expect(await alice!.next()).toContain(name);
  });

  it('refuses an empty name', async () => {
    const carol = await connect();
    carol.send('   ');
    expect(await carol.next()).toContain('empty');
  });
});
