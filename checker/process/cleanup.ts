import { rmSync } from 'node:fs';
import { deadline } from '../core/deadlines.ts';
import { groupAlive, signalGroup, stopGroup } from './process-group.ts';
import { exitWhenWritten } from '../terminal/exit-when-written.ts';

/**
 * Everything the checker starts or creates is registered here, so that nothing outlives it:
 * not on success, not on failure, not on an exception, not on Ctrl-C.
 */
const liveGroups = new Set<number>();
const tempPaths = new Set<string>();
const closers = new Set<() => Promise<void> | void>();
/** Set once the checker has begun to exit: nothing started from then on may keep running. */
let shuttingDown = false;

export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  // A check still running when Ctrl-C came may start a program after the clean-up began.
  if (shuttingDown) signalGroup(pgid, 'SIGKILL');
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

export function trackTempPath(path: string): void {
  tempPaths.add(path);
}

export function removeTempPath(path: string): void {
  tempPaths.delete(path);
  removeQuietly(path);
}

/**
 * Removes a temporary file or folder, retrying while a program that is exiting still writes
 * into it (a browser's profile). Best effort: a leftover temporary folder is no reason to fail.
 */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  } catch {
    // Still in use after the retries: the system's temporary folder is cleaned in time anyway.
  }
}

/** Something in-process to shut down on exit (a scripted server, a browser). */
export function trackCloser(close: () => Promise<void> | void): () => void {
  closers.add(close);
  return () => closers.delete(close);
}

/** Stops every tracked program politely (SIGTERM, then SIGKILL) and removes temp files. */
export async function cleanUpEverything(): Promise<void> {
  shuttingDown = true;
  await Promise.allSettled([...closers].map(async (close) => close()));
  closers.clear();
  // Groups registered while the first ones are being stopped are stopped in the next round.
  while (liveGroups.size > 0) {
    const groups = [...liveGroups];
    await Promise.allSettled(groups.map((pgid) => stopGroup(pgid, deadline('killGrace'))));
    for (const pgid of groups) liveGroups.delete(pgid);
  }
  removeTempPaths();
}

/** How long the checker, exiting, waits for the programs it has just killed to be gone. */
const KILLED_GONE_MS = 500;

function killEverythingNow(): void {
  const groups = [...liveGroups];
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
  // A killed process ends when the kernel next runs it, a moment later (longer on a busy
  // machine): the checker exits once it has, so that nothing it started outlives it.
  blockUntilGone(groups, KILLED_GONE_MS);
  removeTempPaths();
}

/** Blocks (this runs as the process exits, when nothing can be awaited) until no group is alive, or `ms` have passed. */
function blockUntilGone(groups: number[], ms: number): void {
  const until = performance.now() + ms;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (groups.some(groupAlive) && performance.now() < until) Atomics.wait(pause, 0, 0, 5);
}

function removeTempPaths(): void {
  for (const path of tempPaths) removeQuietly(path);
  tempPaths.clear();
}

let installed = false;
/** The exit status of the signal that interrupted the checker, once one has. */
let interruptedWith: number | undefined;

/**
 * The exit status the checker must end with: the interrupting signal's once Ctrl-C (or SIGTERM)
 * came, even when the command, its programs stopped under it, finished first with its own.
 */
export function exitStatusAfter(commandStatus: number): number {
  return interruptedWith ?? commandStatus;
}

/**
 * For the command-line entry point: on Ctrl-C or SIGTERM, clean up and exit with the
 * conventional status; on any exit at all, kill whatever is still registered. A second Ctrl-C
 * (an impatient learner, during the grace period) kills everything at once: the handler stays
 * installed, because without it Node.js would die of the signal without running any exit code.
 */
export function installExitCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killEverythingNow);
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      const status = signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129;
      if (interrupted) process.exit(status);
      interrupted = true;
      interruptedWith = status;
      void cleanUpEverything().finally(() => exitWhenWritten(status));
    });
  }
}
