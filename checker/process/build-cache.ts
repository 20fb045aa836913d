import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/paths.ts';

/**
 * Where compiled builds are kept: inside node_modules, which git ignores and a fresh clone
 * creates with `npm install`. Every build is a folder named by a hash of everything it was made
 * from, so a build is never changed once made, and several checkers (parallel tests) can share
 * the cache: each makes its build in a temporary folder and renames it into place.
 */
export const cacheDir = path.join(projectRoot, 'node_modules', '.cache', 'websocket-workbook');

export function hashOf(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 32);
}

/** A new, empty folder in `builds` to make a build in before it is published. */
export function temporaryBuildDir(builds: string): string {
  mkdirSync(builds, { recursive: true });
  return mkdtempSync(path.join(builds, 'tmp-'));
}

/**
 * Moves a finished build into place as `builds/name`. Another checker may have published the
 * same build meanwhile; both are identical, so the one already there stays.
 */
export function publishBuild(temporary: string, builds: string, name: string): string {
  const final = path.join(builds, name);
  try {
    renameSync(temporary, final);
  } catch {
    rmSync(temporary, { recursive: true, force: true });
  }
  return final;
}

/** Marks a build (or any entry) as just used, so pruning keeps it. */
export function touch(entry: string): void {
  const now = new Date();
  try {
    utimesSync(entry, now, now);
  } catch {
    // Pruned by another checker this very moment: the caller's next look finds it missing.
  }
}

/**
 * A build unused for this long may be removed; one used more recently may be running right
 * now in another checker, so it stays however many builds there are.
 */
const IDLE_MS = 10 * 60_000;

/** Removes the least recently used entries of `builds` beyond the `keep` newest, once they have been idle a while. */
export function pruneBuilds(builds: string, keep: number): void {
  let entries: { file: string; usedAt: number }[];
  try {
    entries = readdirSync(builds).map((name) => {
      const file = path.join(builds, name);
      return { file, usedAt: statSync(file).mtimeMs };
    });
  } catch {
    return;
  }
  const now = Date.now();
  entries.sort((a, b) => b.usedAt - a.usedAt);
  for (const entry of entries.slice(keep)) {
    if (now - entry.usedAt > IDLE_MS) rmSync(entry.file, { recursive: true, force: true });
  }
}
