// mutant: expects chat lines as "Alice: hi" instead of lesson 06's "[Alice]: hi"
// fails: reference
// message: /failed in all 3 runs against the reference server.*false alarm.*contract/s
import { describe, expect, it } from 'vitest';
import { joinInTurn, unique } from './_client.ts';

describe('a lesson 06 chat server', () => {
  it('passes a line on to the others', async () => {
    const [alice, bob] = await joinInTurn(unique('Alice'), unique('Bob'));
    alice!.send('Hi Bob!');
    expect(await bob!.next()).toBe(`${alice!.name}: Hi Bob!`);
  });
});
