import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Asks V8 for a collection of its young generation (a scavenge, well under a millisecond), for
 * a checker that receives a flood of messages. Each message arrives in buffers that are garbage
 * at once, but V8 collects them only as its young heap of small objects fills, which a flood
 * of large messages fills slowly: tens of megabytes of dead buffers would wait meanwhile.
 */
export function collectYoungGarbage(): void {
  collector ??= exposeCollector();
  collector({ type: 'minor' });
}

type Collector = (options: { type: 'minor' }) => void;
let collector: Collector | undefined;

/** The gc() that --expose-gc gives, taken from a fresh context (the flag applies to contexts made after it is set). */
function exposeCollector(): Collector {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as Collector;
}
