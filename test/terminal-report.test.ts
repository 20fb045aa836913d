import { expect, it } from 'vitest';
import { formatLesson } from '../checker/reporters/terminal.ts';
import type { CheckResult, LessonResult } from '../checker/running/results.ts';

/** How a lesson's result reads in the terminal when some of its checks could not run. */

const NO_REDIS = 'No Redis checks: redis-server is not on PATH. Install it.';

function check(id: string, status: CheckResult['status'], message = ''): CheckResult {
  return { id, name: `the ${id} check`, status, message, durationMs: 1 };
}

function lesson(checks: CheckResult[], status: LessonResult['status']): LessonResult {
  return { id: '17', slug: 'scale-out', title: 'Many servers', status, durationMs: 700, checks };
}

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

it('says a lesson passed only what ran when checks were skipped, and gives the reason once', () => {
  const text = plain(formatLesson(lesson([check('one', 'skipped', NO_REDIS), check('two', 'skipped', NO_REDIS), check('types', 'passed')], 'passed')));
  expect(text).toMatch(/^Lesson 17 passed what ran: 1 of 3 checks passed, 2 skipped, in 0\.7 s\.$/m);
  expect(text.split(NO_REDIS).length - 1).toBe(1);
});

it('says a lesson passed, with no word of skipping, when every check ran', () => {
  const text = plain(formatLesson(lesson([check('one', 'passed'), check('two', 'passed')], 'passed')));
  expect(text).toMatch(/^Lesson 17 passed: 2 of 2 checks passed in 0\.7 s\.$/m);
});
