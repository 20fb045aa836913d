import { rmSync } from 'node:fs';
import { deadline } from './deadlines.ts';
import { signalGroup, stopGroup } from './process-group.ts';

/**
 * Everything the checker starts or creates is registered here, so that nothing outlives it:
 * not on success, not on failure, not on an exception, not on Ctrl-C.
 */
const liveGroups = new Set<number>();
const tempPaths = new Set<string>();
const closers = new Set<() => Promise<void> | void>();

export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

export function trackTempPath(path: string): void {
  tempPaths.add(path);
}

export function removeTempPath(path: string): void {
  tempPaths.delete(path);
  rmSync(path, { recursive: true, force: true });
}

/** Something in-process to shut down on exit (a scripted server, a browser). */
export function trackCloser(close: () => Promise<void> | void): () => void {
  closers.add(close);
  return () => closers.delete(close);
}

/** Stops every tracked program politely (SIGTERM, then SIGKILL) and removes temp files. */
export async function cleanUpEverything(): Promise<void> {
  await Promise.allSettled([...closers].map(async (close) => close()));
  closers.clear();
  await Promise.allSettled([...liveGroups].map((pgid) => stopGroup(pgid, deadline('killGrace'))));
  liveGroups.clear();
  removeTempPaths();
}

function killEverythingNow(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
  removeTempPaths();
}

function removeTempPaths(): void {
  for (const path of tempPaths) rmSync(path, { recursive: true, force: true });
  tempPaths.clear();
}

let installed = false;

/**
 * For the command-line entry point: on Ctrl-C or SIGTERM, clean up and exit with the
 * conventional status; on any exit at all, kill whatever is still registered.
 */
export function installExitCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killEverythingNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      const status = signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129;
      void cleanUpEverything().finally(() => process.exit(status));
    });
  }
}
