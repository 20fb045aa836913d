import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listLessons } from '../checker/running/lessons.ts';
import type { LessonResult } from '../checker/running/results.ts';
import { runCli } from './run-cli.ts';

/**
 * `npm run check -- N --server "<command>"` (and `--client`) checks a program written in any
 * language, end to end through the command line: plain JavaScript, and Python.
 */

// Debian's python3-websockets is for Debian's own Python; a pyenv `python3` on PATH cannot see it.
const PYTHON = '/usr/bin/python3';
const pythonWebsockets = spawnSync(PYTHON, ['-c', 'import websockets'], { stdio: 'ignore' }).status === 0;
if (!pythonWebsockets) {
  console.warn(`Skipping the Python tests: ${PYTHON} cannot import websockets (install it with: apt-get install python3-websockets).`);
}
const hasLesson03 = listLessons().some((lesson) => lesson.folder === '03-client');

async function check(lesson: string, flag: '--server' | '--client', command: string): Promise<{ status: number | null; lesson: LessonResult; stderr: string }> {
  const run = await runCli(['check', lesson, flag, command, '--json']);
  let report: { lessons: LessonResult[] };
  try {
    report = JSON.parse(run.stdout) as { lessons: LessonResult[] };
  } catch {
    throw new Error(`no JSON report (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return { status: run.status, lesson: report.lessons[0]!, stderr: run.stderr };
}

const notPassed = (lesson: LessonResult) => lesson.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.message}`);

describe.concurrent('checking a program in any language', () => {
  it('a plain JavaScript echo server passes lesson 01', async () => {
    const { status, lesson, stderr } = await check('1', '--server', 'node test/fixtures/any-language/echo-server.mjs');
    expect(notPassed(lesson)).toEqual([]);
    expect(status, stderr).toBe(0);
  });

  it.skipIf(!pythonWebsockets)("a Python echo server passes lesson 01 (needs Debian's python3-websockets)", async () => {
    const { status, lesson, stderr } = await check('1', '--server', `${PYTHON} test/fixtures/any-language/echo_server.py`);
    expect(notPassed(lesson)).toEqual([]);
    expect(status, stderr).toBe(0);
  });

  it.skipIf(!pythonWebsockets)('the same Python server fails lesson 02, with a message about the reply', async () => {
    const { status, lesson } = await check('2', '--server', `${PYTHON} test/fixtures/any-language/echo_server.py`);
    const replies = lesson.checks.find((c) => c.id === 'replies')!;
    expect(replies.status).toBe('failed');
    expect(replies.message).toMatch(/expected the message "HELLO"/);
    expect(replies.details?.received).toMatch(/Echo: hello/);
    expect(status).toBe(1);
  });

  it.skipIf(!hasLesson03)('a plain JavaScript client passes lesson 03 (--client)', async () => {
    const { status, lesson, stderr } = await check('3', '--client', 'node test/fixtures/any-language/hello-client.mjs');
    expect(notPassed(lesson)).toEqual([]);
    expect(status, stderr).toBe(0);
  });
});
