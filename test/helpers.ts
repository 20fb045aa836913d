import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { findLesson, loadLesson } from '../checker/running/lessons.ts';
import { projectRoot } from '../checker/core/paths.ts';
import type { ProgramSource } from '../checker/process/program.ts';
import type { CheckResult, LessonResult } from '../checker/running/results.ts';
import { runLesson } from '../checker/running/run-lesson.ts';

/** Runs lesson `query` against a program, in this process, as `npm run check` would. */
export async function checkProgram(query: string, source: ProgramSource | string): Promise<LessonResult> {
  const lesson = await loadLesson(findLesson(query));
  const program: ProgramSource = typeof source === 'string' ? { kind: 'file', file: path.resolve(projectRoot, source) } : source;
  return runLesson(lesson, program);
}

export function checkNamed(result: LessonResult, id: string): CheckResult {
  const check = result.checks.find((c) => c.id === id);
  if (!check) throw new Error(`Lesson ${result.id} has no check "${id}"; it has: ${result.checks.map((c) => c.id).join(', ')}`);
  return check;
}

/** A compact view of a result for assertion messages: the failing checks and why. */
export function failures(result: LessonResult): string {
  return result.checks
    .filter((c) => c.status === 'failed')
    .map((c) => `${c.id}: ${c.message}\n${c.details?.explanation ?? ''}\n${(c.transcript ?? []).slice(-15).join('\n')}`)
    .join('\n\n');
}

/**
 * Runs a workbook command the way a user does (through start.mjs, as npm's scripts do), without
 * a terminal, in the workbook at `root` (a copy, for commands that change files).
 */
export function runCommand(args: string[], options: { root?: string; env?: Record<string, string>; input?: string } = {}): SpawnSyncReturns<string> {
  const root = options.root ?? projectRoot;
  return spawnSync(process.execPath, ['checker/start.mjs', ...args], {
    cwd: root,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', ...options.env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // A check of every lesson takes a minute on a busy machine (lesson 18 alone runs a dozen servers).
    timeout: 240_000,
  });
}
