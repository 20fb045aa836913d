import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../checker/core/paths.ts';
import { packagesImportedBy, scriptFilesOf } from '../checker/process/imports.ts';
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
