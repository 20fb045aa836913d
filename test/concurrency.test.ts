import { describe, expect, it } from 'vitest';
import { mapConcurrently } from '../checker/core/concurrency.ts';

describe('mapConcurrently', () => {
  it('runs up to the limit at a time, keeps the order of the results, and runs an item that must run alone with nothing beside it', async () => {
    let running = 0;
    const besideSolo: number[] = [];
    let mostAtOnce = 0;
    const results = await mapConcurrently(
      ['a', 'b', 'solo', 'c', 'd', 'e'],
      3,
      async (item) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        if (item === 'solo') besideSolo.push(running - 1);
        // Two turns of the event loop: long enough for the others to start, were they allowed to.
        for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
        if (item === 'solo') besideSolo.push(running - 1);
        running--;
        return item.toUpperCase();
      },
      (item) => (item === 'solo' ? 'solo' : ''),
    );
    expect(results).toEqual(['A', 'B', 'SOLO', 'C', 'D', 'E']);
    expect(besideSolo).toEqual([0, 0]);
    expect(mostAtOnce).toBe(3);
  });

  it('runs items of a group side by side, and never beside items of another group', async () => {
    const running = new Set<string>();
    const beside: string[] = [];
    await mapConcurrently(
      ['a1', 'a2', 'clock1', 'clock2', 'a3', 'a4'],
      2,
      async (item) => {
        running.add(item);
        for (let turn = 0; turn < 2; turn++) {
          await new Promise((resolve) => setImmediate(resolve));
          beside.push([...running].sort().join('+'));
        }
        running.delete(item);
        return item;
      },
      (item) => item.replace(/\d$/, ''),
    );
    // Each group's two items ran side by side; no moment saw items of two groups.
    expect([...new Set(beside.filter((together) => together.includes('+')))].sort()).toEqual(['a1+a2', 'a3+a4', 'clock1+clock2']);
  });
});
