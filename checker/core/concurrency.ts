/**
 * Maps `items` through `work`, at most `limit` at a time, keeping the results in order. Items
 * run only beside items of their own group (`groupOf`; by default all are in one): an item of
 * another group waits until those in hand have finished, and nothing starts before it meanwhile.
 * An item in a group of its own runs with nothing beside it.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  groupOf: (item: T) => string = () => '',
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  /** How many items of each group are running. */
  const running = new Map<string, number>();
  /** The items waiting for their turn, first come first: one of another group holds back those after it. */
  const queue: { group: string; start: () => void }[] = [];
  const admit = () => {
    while (queue.length > 0) {
      const { group, start } = queue[0]!;
      if ([...running].some(([other, count]) => other !== group && count > 0)) return;
      queue.shift();
      running.set(group, (running.get(group) ?? 0) + 1);
      start();
    }
  };
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      const group = groupOf(item);
      await new Promise<void>((start) => {
        queue.push({ group, start });
        admit();
      });
      try {
        results[index] = await work(item);
      } finally {
        running.set(group, running.get(group)! - 1);
        admit();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
