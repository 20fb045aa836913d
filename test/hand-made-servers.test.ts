import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../checker/core/paths.ts';
import { packagesImportedBy, scriptFilesOf } from '../checker/process/imports.ts';
import type { LessonResult } from '../checker/running/results.ts';
import { checkNamed, checkProgram, failures } from './helpers.ts';

/**
 * Lessons 15-16 hold a hand-written server to the standard. The proof that they ask for the
 * standard, not for the reference solution's ways: ws's own server passes every check of
 * lesson 16 but the one that forbids ws; and the reference solution passes when the checker
 * is given it as a command, as a grader gives a program in another language.
 */
describe('the lesson 16 checks', () => {
  it("pass ws's own server, all but the one that forbids ws", async () => {
    const result = await checkProgram('16', 'test/fixtures/ws-echo-server.ts');
    const others = { ...result, checks: result.checks.filter((check) => check.id !== 'no-ws') };
    expect(failures(others)).toBe('');
    expect(others.checks.every((check) => check.status === 'passed')).toBe(true);
    expect(checkNamed(result, 'no-ws').message).toMatch(/ws-echo-server\.ts imports ws/);
  });

  it('read the imports of the files a command names, following its own imports', async () => {
    const fixture = path.join(projectRoot, 'test/fixtures/ws-echo-server.ts');
    expect(scriptFilesOf({ kind: 'command', command: 'npx tsx "test/fixtures/ws-echo-server.ts"' }, projectRoot)).toEqual([fixture]);
    expect(scriptFilesOf({ kind: 'command', command: 'python3 echo.py' }, projectRoot)).toEqual([]);
    expect(await packagesImportedBy(fixture)).toContain('ws');
    // A lesson 16 mutant imports ws nowhere, through two files of its own.
    const mutant = await packagesImportedBy(path.join(projectRoot, 'test/mutants/16-frames/no-size-limit.ts'));
    expect([...mutant].sort()).toEqual(['node:crypto', 'node:http']);
  });
});

/** The reference solution of `lesson` (its folder's name) with `pattern` replaced, written to a temporary folder. */
function alteredSolution(folder: string, lesson: string, pattern: RegExp, replacement: string): string {
  const solution = readFileSync(path.join(projectRoot, 'solutions', lesson, 'server.ts'), 'utf8');
  expect(solution).toMatch(pattern);
  const server = path.join(folder, `${lesson}.ts`);
  writeFileSync(server, solution.replace(pattern, replacement));
  return server;
}

/** Outside the workbook, TypeScript finds no types for ws: only the behaviour is judged. */
function behaviour(result: LessonResult): LessonResult {
  return { ...result, checks: result.checks.filter((check) => check.id !== 'type-checks') };
}

describe('solutions made differently', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'workbook-altered-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /**
   * Lesson 13's contract lets a rate limit be a sliding window (the reference solution's) or a
   * token bucket: the proof that the rate checks accept both is the solution with its limiter
   * swapped for a bucket of 10 refilled at 10 a second, made here so that it cannot drift.
   */
  it('lesson 13: a token bucket passes the rate checks as a sliding window does', async () => {
    const bucket = [
      'function makeRateLimiter(): () => boolean {',
      '  let tokens = RATE_LIMIT;',
      '  let last = Date.now();',
      '  return () => {',
      '    const now = Date.now();',
      '    tokens = Math.min(RATE_LIMIT, tokens + ((now - last) * RATE_LIMIT) / RATE_WINDOW_MS);',
      '    last = now;',
      '    if (tokens < 1) return false;',
      '    tokens -= 1;',
      '    return true;',
      '  };',
      '}',
      '',
    ].join('\n');
    const server = alteredSolution(folder, '13-secure', /function makeRateLimiter\(\): \(\) => boolean \{[\s\S]*?\n\}\n/, bucket);
    const result = behaviour(await checkProgram('13', server));
    expect(failures(result)).toBe('');
    expect(checkNamed(result, 'rate-window').status).toBe('passed');
  });

  /**
   * Lesson 17: an instance hears its own events through Redis, later than it reads the shared
   * presence. A newcomer's welcome can list a user whose "joined" then reaches the newcomer too,
   * and no instance can prevent it. An instance whose subscription hands events on 40 ms late
   * makes that happen at every join that follows another at once; the contract allows it.
   */
  it('lesson 17: an instance whose subscription hands events on late passes', async () => {
    const server = alteredSolution(
      folder,
      '17-scale-out',
      /\(text\) => deliver\(JSON\.parse\(text\) as Broadcast\)/,
      '(text) => setTimeout(() => deliver(JSON.parse(text) as Broadcast), 40)',
    );
    const result = behaviour(await checkProgram('17', server));
    expect(failures(result)).toBe('');
    expect(result.checks.every((check) => check.status === 'passed')).toBe(true);
  });
});
