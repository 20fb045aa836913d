/**
 * Every wait in the checker has a deadline. The base values suit a modest laptop; slow
 * machines multiply them all with WORKBOOK_TIMEOUT_SCALE (or `--timeout-scale`).
 */
const baseDeadlines = {
  /** From starting the learner's program to its port accepting connections. */
  start: 5_000,
  /** From sending a message (or connecting) to the expected reply. */
  reply: 2_000,
  /** For a close handshake, or a client program to exit. */
  close: 3_000,
  /** Between SIGTERM and SIGKILL when stopping a program. */
  killGrace: 1_000,
  /** For one whole check. */
  check: 20_000,
  /** For a browser page to show a change (loaded, connected, a message on screen): slower than a ws round trip. */
  browser: 5_000,
  /** For Chromium to start. */
  browserLaunch: 15_000,
  /** For TypeScript to type-check the learner's files (it needs about a tenth of a second). */
  typeCheck: 10_000,
} as const;

export type DeadlineName = keyof typeof baseDeadlines;

export const TIMEOUT_SCALE_VARIABLE = 'WORKBOOK_TIMEOUT_SCALE';

function timeoutScale(): number {
  const raw = process.env[TIMEOUT_SCALE_VARIABLE];
  return (raw === undefined ? undefined : parseTimeoutScale(raw)) ?? 1;
}

/** A timeout scale as typed (a positive, finite number), or undefined when it is not one. */
export function parseTimeoutScale(raw: string): number | undefined {
  const scale = raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(scale) && scale > 0 ? scale : undefined;
}

/** The deadline in milliseconds, scaled for this machine. */
export function deadline(name: DeadlineName): number {
  return Math.round(baseDeadlines[name] * timeoutScale());
}

export function scaled(ms: number): number {
  return Math.round(ms * timeoutScale());
}

/**
 * Resolves as `promise` does, or rejects with the error made by `onTimeout` once `ms` has
 * passed. The timer never keeps the process alive.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits for `promise` to settle, at most `ms`; true when it did. Never rejects. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = promise.then(
    () => true,
    () => true,
  );
  return withDeadline(settled, ms, () => new Error('still pending')).catch(() => false);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
