import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_VARIABLE, DEBIAN_CHROMIUMS, findChromium } from '../checker/peers/browser.ts';
import type { LessonResult } from '../checker/running/results.ts';
import { failures, runCommand } from './helpers.ts';

/**
 * Lesson 08 is checked in a real browser. Here, with the Chromium this machine has, its browser
 * checks must really run and pass; with none, they are skipped with the reason and the fix,
 * while the HTTP and protocol checks still run and decide the lesson.
 */
const browserCheck = (id: string) => id.startsWith('browser-');

describe('lesson 08 in a browser', () => {
  // CI installs both of Debian's builds: the checks prefer the headless shell (the test below),
  // and a learner with only the full browser gets the same verdicts from it.
  it.each(DEBIAN_CHROMIUMS)('passes the reference solution with %s as the browser', (executable) => {
    expect(existsSync(executable), `This test needs ${executable} (.ci/run installs it)`).toBe(true);
    // Generous deadlines: this is about the verdicts, and the full browser starts slowly on a busy machine.
    const run = runCommand(['check', '8', '--solutions', '--json'], { env: { [CHROMIUM_VARIABLE]: executable, WORKBOOK_TIMEOUT_SCALE: '3' } });
    const lesson = (JSON.parse(run.stdout) as { lessons: LessonResult[] }).lessons[0]!;
    expect(failures(lesson)).toBe('');
    const browser = lesson.checks.filter((check) => browserCheck(check.id));
    expect(browser.length).toBeGreaterThanOrEqual(4);
    expect(browser.map((check) => [check.id, check.status, check.message])).toEqual(browser.map((check) => [check.id, 'passed', '']));
    expect(run.status).toBe(0);
  });

  it('prefers the headless shell when it is there', () => {
    expect(findChromium()).toEqual({ executable: DEBIAN_CHROMIUMS[0] });
  });

  it('without Chromium, skips the browser checks with the reason and still runs the others', () => {
    const missing = '/nonexistent/chromium';
    const run = runCommand(['check', '8', '--solutions', '--json'], { env: { [CHROMIUM_VARIABLE]: missing } });
    expect(run.stderr).toBe('');
    const lesson = (JSON.parse(run.stdout) as { lessons: LessonResult[] }).lessons[0]!;
    const browser = lesson.checks.filter((check) => browserCheck(check.id));
    const others = lesson.checks.filter((check) => !browserCheck(check.id));
    expect(browser.length).toBeGreaterThanOrEqual(4);
    for (const check of browser) {
      expect(check.status, check.id).toBe('skipped');
      expect(check.message).toContain(`${CHROMIUM_VARIABLE} is ${missing}, which does not exist`);
      expect(check.message).toContain('sudo apt-get install chromium');
      expect(check.message.split('\n')).toHaveLength(1);
    }
    expect(others.map((check) => [check.id, check.status])).toEqual(others.map((check) => [check.id, 'passed']));
    expect(lesson.status).toBe('passed');
    expect(run.status).toBe(0);
  });

  it('with a Chromium that cannot start, skips the browser checks with the reason and leaves no profile behind', () => {
    // A temporary folder of its own: other tests start browsers meanwhile.
    const temporary = mkdtempSync(path.join(tmpdir(), 'workbook-browser-test-'));
    try {
      const run = runCommand(['check', '8', '--solutions', '--json'], { env: { [CHROMIUM_VARIABLE]: '/bin/false', TMPDIR: temporary } });
      const lesson = (JSON.parse(run.stdout) as { lessons: LessonResult[] }).lessons[0]!;
      const browser = lesson.checks.filter((check) => browserCheck(check.id));
      expect(browser.map((check) => check.status)).toEqual(browser.map(() => 'skipped'));
      expect(browser[0]!.message).toMatch(/^No browser checks: the Chromium at \/bin\/false could not start \(.+\)\. Install Chromium/);
      expect(run.status).toBe(0);
      expect(readdirSync(temporary).filter((name) => name.startsWith('workbook-chromium-'))).toEqual([]);
    } finally {
      rmSync(temporary, { recursive: true, force: true });
    }
  });

  it('without Chromium, still fails a wrong server on the checks that need no browser', () => {
    const run = runCommand(['check', '8', '--server', 'node --import tsx test/mutants/08-browser/page-for-every-path.ts', '--json'], {
      env: { [CHROMIUM_VARIABLE]: '/nonexistent/chromium' },
    });
    const lesson = (JSON.parse(run.stdout) as { lessons: LessonResult[] }).lessons[0]!;
    expect(lesson.checks.find((check) => check.id === 'not-found')?.status).toBe('failed');
    expect(lesson.status).toBe('failed');
    expect(run.status).toBe(1);
  });
});
