/**
 * The pace of a check that asks a program again and again whether something has happened yet.
 * Each ask is a full round trip, and only its answer proves anything: the pause between two
 * asks is no evidence of absence, it only spaces them. Asked as fast as loopback allows, a
 * program is asked thousands of times a second, which proves nothing more than a few tens of
 * times, busies the machine, and floods the transcript. The first asks follow each other
 * quickly (what is asked about usually happens within milliseconds); after that, at most one
 * ask every MAX_INTERVAL_MS.
 */
const FIRST_INTERVAL_MS = 1;
const MAX_INTERVAL_MS = 25;

export class Pace {
  private interval = 0;
  private lastAt = -Infinity;

  /** Resolves when the next ask may go: at once the first time, then after a growing interval. */
  async next(): Promise<void> {
    const wait = this.lastAt + this.interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastAt = performance.now();
    this.interval = Math.min(MAX_INTERVAL_MS, Math.max(FIRST_INTERVAL_MS, this.interval * 2));
  }
}
