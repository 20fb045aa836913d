/**
 * Maps `items` through `work`, at most `limit` at a time, keeping the results in order. An item
 * for which `alone` holds runs with nothing beside it: it waits for the items in hand to finish,
 * and nothing else starts until it is done.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  alone: (item: T) => boolean = () => false,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let running = 0;
  let soloWaiting = 0;
  let soloRunning = false;
  const waiting: (() => void)[] = [];
  /** Waits until the item may start, and counts it as running in the same step (no other may slip in between). */
  const enter = async (solo: boolean) => {
    const ready = () => (solo ? running === 0 : !soloRunning && soloWaiting === 0);
    if (solo) soloWaiting++;
    while (!ready()) await new Promise<void>((resolve) => waiting.push(resolve));
    if (solo) soloWaiting--;
    running++;
    soloRunning = solo;
  };
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      await enter(alone(item));
      try {
        results[index] = await work(item);
      } finally {
        running--;
        soloRunning = false;
        for (const wake of waiting.splice(0)) wake();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
