import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './helpers.ts';
import { copyWorkbook } from './workbook-copy.ts';

/**
 * The commands as a user runs them, without a terminal (as in CI or a pipe): exit statuses,
 * output, the JSON report, and what happens to files. Each runs in a copy of the workbook.
 */
let workbook: ReturnType<typeof copyWorkbook>;
const run = (...args: string[]) => runCommand(args, { root: workbook.root });
const progressFile = () => path.join(workbook.root, '.workbook-progress.json');
const oneLine = (text: string) => text.trim().split('\n').length === 1;
/** A check of every lesson: lesson 18 alone starts a dozen servers and runs a suite against each. */
const EVERY_LESSON_MS = 240_000;
/** The checks that did not pass in a JSON report, for a failed assertion's message. */
const notPassed = (report: { lessons: { id: string; checks: { id: string; status: string; message: string }[] }[] }) =>
  report.lessons
    .flatMap((lesson) => lesson.checks.filter((check) => check.status !== 'passed').map((check) => `${lesson.id} ${check.id}: ${check.message}`))
    .join('\n');
const noStackTrace = (text: string) => !/\n\s+at /.test(text);

beforeAll(() => {
  workbook = copyWorkbook();
});
afterAll(() => workbook.remove());

describe('npm run check', () => {
  it('passes the reference solutions with status 0, in plain text without a terminal', () => {
    const result = run('check', '1', '--solutions');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Lesson 01 passed');
    expect(result.stdout).not.toMatch(/\x1b\[/);
    expect(result.status).toBe(0);
  });

  it('fails the untouched starter with status 1, naming the failing check and what arrived', () => {
    const result = run('check', '01');
    expect(result.stdout).toMatch(/✗ replies to a text message/);
    expect(result.stdout).toMatch(/expected: the text message "Echo: hello"/);
    expect(result.stdout).toMatch(/transcript/);
    expect(result.status).toBe(1);
  });

  it('with no lesson: one line per lesson, then the first failing lesson in detail', { timeout: EVERY_LESSON_MS }, () => {
    const result = run('check');
    const summaryLines = result.stdout.split('\n').filter((line) => /^[✓✗–] \d\d /.test(line));
    expect(summaryLines.length).toBe(readdirSync(path.join(workbook.root, 'lessons')).length);
    expect(result.stdout).toMatch(/The first lesson that is not passing yet/);
    expect(result.status).toBe(1);
  });

  it('records progress, and a full check rebuilds a corrupt progress file', { timeout: EVERY_LESSON_MS }, () => {
    writeFileSync(progressFile(), '{ this is not json');
    const result = run('check', '--solutions');
    expect(result.status, result.stdout).toBe(0);
    run('check', '2');
    const progress = JSON.parse(readFileSync(progressFile(), 'utf8'));
    expect(progress.version).toBe(1);
    expect(progress.lessons['02-uppercase'].status).toBe('failed');
  });

  it('writes a JSON report with the documented fields', { timeout: EVERY_LESSON_MS }, () => {
    const result = run('check', '--solutions', '--json');
    const report = JSON.parse(result.stdout);
    expect(report.summary, notPassed(report)).toEqual({ passed: report.lessons.length, failed: 0, skipped: 0 });
    for (const lesson of report.lessons) {
      expect(lesson).toMatchObject({
        id: expect.stringMatching(/^\d\d$/),
        slug: expect.any(String),
        title: expect.any(String),
        status: 'passed',
        durationMs: expect.any(Number),
      });
      for (const check of lesson.checks) expect(check).toMatchObject({ name: expect.any(String), status: 'passed', message: '' });
    }
    expect(result.status).toBe(0);
  });

  it('checks a range of lessons, "1-2", as it checks them all', () => {
    const result = run('check', '1-2', '--solutions', '--json');
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { lessons: { id: string }[] }).lessons.map((lesson) => lesson.id)).toEqual(['01', '02']);
  });

  it('reports a failing program in JSON with the message and the transcript', () => {
    const result = run('check', '1', '--json', '--server', `node --import tsx ${path.join('lessons', '01-echo', 'starter', 'server.ts')}`);
    const report = JSON.parse(result.stdout);
    const replies = report.lessons[0].checks.find((c: { id: string }) => c.id === 'replies');
    expect(replies.status).toBe('failed');
    expect(replies.message).toMatch(/Echo: hello/);
    expect(replies.transcript.join('\n')).toMatch(/alice → server/);
    expect(result.status).toBe(1);
  });

  it.each([
    [['check', '99'], /There is no lesson "99"\. The lessons are 1 to \d+/],
    [['check', '--bogus'], /unknown option --bogus.*Usage: npm run check/],
    [['check', '1', '2'], /expected one lesson/],
    [['check', '--server', 'node x.mjs'], /--server needs a lesson/],
    [['check', '1', '--timeout-scale', 'fast'], /--timeout-scale takes a positive number/],
    [['check', '5-3'], /"5-3" is no range of lessons/],
    [['check', '40-50'], /There are no lessons from 40 to 50\. The lessons are 1 to \d+/],
    [['check', '1-2', '--watch'], /--watch takes one lesson, not 1-2/],
    [['hint'], /which lesson\?/],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ])('%j is a usage error: one line, status 2', (args, message) => {
    const result = run(...args);
    expect(result.stderr).toMatch(message);
    expect(oneLine(result.stderr)).toBe(true);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });

  it.each([
    [['check', '1', '--client', 'node client.mjs'], /lesson 01 is a server lesson, so use --server "<command>"/],
    [['check', '3', '--server', 'node server.mjs'], /lesson 03 is a client lesson, so use --client "<command>"/],
    [['check', '18', '--server', 'node server.mjs'], /lesson 18 checks your test file, exercises\/18-testing\/chat\.test\.ts, .* so --server does not apply/],
    [['check', '18', '--client', 'node client.mjs'], /lesson 18 checks your test file, .* so --client does not apply/],
  ])('%j (the wrong kind of program for the lesson) is a usage error', (args, message) => {
    const result = run(...args);
    expect(result.stderr).toMatch(message);
    expect(oneLine(result.stderr)).toBe(true);
    expect(result.status).toBe(2);
  });
});

describe('npm run lesson', () => {
  it('lists the lessons with progress and exits without a menu', () => {
    const result = run('lesson');
    expect(result.stdout).toMatch(/01\s+Echo server/);
    // Each part under its heading: part 2 from lesson 09 on.
    expect(result.stdout).toMatch(/Part 1 · [^\n]+\n[^\n]*01\s+Echo server/);
    expect(result.stdout).toMatch(/08\s+A chat page in the browser\n\nPart 2 · [^\n]+\n[^\n]*09\s+A JSON protocol/);
    expect(result.stdout).toMatch(/Next up: `npm run lesson/);
    expect(result.stdout).not.toMatch(/Which lesson\?/);
    expect(result.status).toBe(0);
  });

  it('prints a lesson with a table in plain text without a terminal', () => {
    const result = run('lesson', '3');
    expect(result.stdout).toMatch(/│ 'open'/);
    expect(result.stdout).not.toMatch(/\x1b\[/);
    expect(result.status).toBe(0);
  });

  it('prints a lesson as rendered Markdown, then where to work, without a menu', () => {
    const result = run('lesson', '1');
    expect(result.stdout).toMatch(/Lesson 01 · Echo server/);
    expect(result.stdout).not.toMatch(/^```/m);
    expect(result.stdout).toMatch(/Check it: npm run check -- 1/);
    expect(result.stdout).not.toMatch(/what next\?/);
    expect(result.status).toBe(0);
  });
});

describe('npm run hint', () => {
  it('gives the hints one after another, and survives a corrupt progress file', () => {
    writeFileSync(progressFile(), 'garbage');
    const first = run('hint', '2');
    expect(first.stderr).toMatch(/progress file .* was unreadable/);
    expect(oneLine(first.stderr)).toBe(true);
    expect(first.stdout).toMatch(/Hint 1 of \d for lesson 2/);
    const second = run('hint', '2');
    expect(second.stdout).toMatch(/Hint 2 of \d for lesson 2/);
    expect(second.stderr).toBe('');
  });
});

describe('npm run compare and npm run reset', () => {
  it('compare shows a diff against the solution, without asking when there is no terminal', () => {
    const result = run('compare', '1');
    expect(result.stdout).toMatch(/\+\s+socket\.on\('message'/);
    expect(result.stdout).toMatch(/solutions\/01-echo\/server\.ts/);
    expect(result.status).toBe(0);
  });

  it("reset puts the starter back and keeps a copy of the learner's work", () => {
    const exercise = path.join(workbook.root, 'exercises', '01-echo', 'server.ts');
    writeFileSync(exercise, '// my own work\n');
    const result = run('reset', '1');
    expect(result.status).toBe(0);
    expect(readFileSync(exercise, 'utf8')).toBe(readFileSync(path.join(workbook.root, 'lessons', '01-echo', 'starter', 'server.ts'), 'utf8'));
    const backups = readdirSync(path.join(workbook.root, '.workbook-backups'));
    const saved = path.join(workbook.root, '.workbook-backups', backups[0]!, 'server.ts');
    expect(readFileSync(saved, 'utf8')).toBe('// my own work\n');
  });

  it('check says how to recover a deleted exercise file', () => {
    const exercise = path.join(workbook.root, 'exercises', '02-uppercase', 'server.ts');
    const kept = readFileSync(exercise, 'utf8');
    writeFileSync(exercise, kept);
    const fs = require('node:fs') as typeof import('node:fs');
    fs.rmSync(exercise);
    const result = run('check', '2');
    expect(result.stdout).toMatch(/exercises\/02-uppercase\/server\.ts does not exist\. `npm run reset -- 2` puts the starter back/);
    expect(result.status).toBe(1);
    writeFileSync(exercise, kept);
    expect(existsSync(exercise)).toBe(true);
  });
});

describe('a lesson whose exercise is a test suite (18)', () => {
  it("reports in JSON which of the learner's tests caught each wrong server", { timeout: EVERY_LESSON_MS }, () => {
    const result = run('check', '18', '--solutions', '--json');
    const [lesson] = JSON.parse(result.stdout).lessons;
    expect(lesson.checks[0]).toMatchObject({ id: 'reference', status: 'passed' });
    const wrongServers = lesson.checks.filter((check: { id: string }) => !['reference', 'type-checks'].includes(check.id));
    expect(wrongServers.length).toBeGreaterThanOrEqual(10);
    for (const check of wrongServers) {
      expect(check.name, check.message).toMatch(/^catches a server that /);
      expect(check.status, check.message).toBe('passed');
      expect(check.caughtBy.length, check.id).toBeGreaterThan(0);
    }
    expect(result.status).toBe(0);
  });

  it('hint, compare and reset work on the test file', () => {
    expect(run('hint', '18').stdout).toMatch(/Hint 1 of \d+ for lesson 18/);
    expect(run('compare', '18').stdout).toMatch(/\+async function joinInTurn/);
    const exercise = path.join(workbook.root, 'exercises', '18-testing', 'chat.test.ts');
    writeFileSync(exercise, '// my own tests\n');
    expect(run('reset', '18').status).toBe(0);
    expect(readFileSync(exercise, 'utf8')).toBe(readFileSync(path.join(workbook.root, 'lessons', '18-testing', 'starter', 'chat.test.ts'), 'utf8'));
  });

  it("demo runs the learner's suite against the reference server, reported by vitest", () => {
    const port = String(20_000 + Math.floor(Math.random() * 10_000));
    const result = runCommand(['demo', '18', '--port', port], { root: workbook.root });
    expect(result.stdout).toMatch(/✓ .*welcomes a user by the name it sends first/);
    expect(result.stdout).toMatch(/Tests\s+1 passed/);
    expect(result.status).toBe(0);
  });
});

describe('npm run client and npm run demo', () => {
  it('client says it could not connect when nothing listens, with status 1 and no stack trace', () => {
    const result = run('client', 'ws://127.0.0.1:1');
    expect(result.stderr).toMatch(/Could not connect to ws:\/\/127\.0\.0\.1:1/);
    expect(noStackTrace(result.stderr)).toBe(true);
    expect(result.status).toBe(1);
  });

  it('demo runs the reference server and a client that sends what is typed', () => {
    const port = String(20_000 + Math.floor(Math.random() * 10_000));
    const result = runCommand(['demo', '1', '--port', port], { root: workbook.root, input: 'hello demo\n' });
    expect(result.stdout).toMatch(new RegExp(`Connected to ws://localhost:${port}`));
    expect(result.stdout).toMatch(/Echo server listening/);
    expect(result.status).toBe(0);
  });
});

describe('npm run new-lesson', () => {
  it('scaffolds a lesson that is listed, runs, and fails its placeholder check', () => {
    const made = run('new-lesson', '42', 'presence', 'server', 'Who is online');
    expect(made.status).toBe(0);
    for (const file of [
      'lessons/42-presence/README.md',
      'lessons/42-presence/lesson.ts',
      'lessons/42-presence/starter/server.ts',
      'exercises/42-presence/server.ts',
      'solutions/42-presence/server.ts',
    ]) {
      expect(existsSync(path.join(workbook.root, file)), file).toBe(true);
    }
    expect(readFileSync(path.join(workbook.root, 'README.md'), 'utf8')).toContain('| 42 | Who is online |');
    expect(run('lesson').stdout).toContain('Who is online');
    const checked = run('check', '42');
    expect(checked.stdout).toContain('Lesson 42 · Who is online');
    expect(checked.status).toBe(1);
  });

  it('scaffolds a tests lesson whose placeholder suite passes the reference server and catches nothing', { timeout: EVERY_LESSON_MS }, () => {
    expect(run('new-lesson', '43', 'suites', 'tests', 'Suite of tests').status).toBe(0);
    expect(existsSync(path.join(workbook.root, 'exercises', '43-suites', 'chat.test.ts'))).toBe(true);
    const report = JSON.parse(run('check', '43', '--json').stdout);
    expect(report.lessons[0].checks.map((check: { id: string; status: string }) => `${check.id} ${check.status}`)).toEqual([
      'reference passed',
      'todo failed',
      'type-checks passed',
    ]);
  });

  it('refuses a number that is taken, in one line with status 2', () => {
    const result = run('new-lesson', '1', 'again', 'server');
    expect(result.stderr.trim()).toBe('new-lesson: lesson 01 exists already (01-echo).');
    expect(result.status).toBe(2);
  });
});
