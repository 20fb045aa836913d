import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listLessons, loadLesson, type Lesson } from '../checker/running/lessons.ts';
import { checkProgram, failures } from './helpers.ts';

/**
 * The rustlings-style self-check: every reference solution passes every check, and every
 * untouched starter fails at least one.
 */
const lessons = await Promise.all(listLessons().map(loadLesson));
/** A tests lesson (18) runs a dozen servers and a vitest; on a busy machine that takes a while. */
const timeoutFor = (lesson: (typeof lessons)[number]) => (lesson.definition.kind === 'tests' ? 180_000 : undefined);

function lessonTests(lesson: (typeof lessons)[number]): void {
  it('is complete: text, starter, exercise, solution, hints, checks', () => {
    for (const file of [lesson.readmePath, lesson.starterFile, lesson.exerciseFile, lesson.solutionFile]) {
      expect(existsSync(file), `${file} should exist`).toBe(true);
    }
    expect(lesson.definition.hints.length).toBeGreaterThan(1);
    expect(lesson.definition.checks.length).toBeGreaterThan(0);
    const ids = lesson.definition.checks.map((c) => c.id);
    expect(new Set(ids).size, 'check ids are unique').toBe(ids.length);
  });

  it('the reference solution passes every check', { timeout: timeoutFor(lesson) }, async () => {
    const result = await checkProgram(lesson.id, lesson.solutionFile);
    expect(failures(result)).toBe('');
    expect(result.checks.filter((c) => c.status !== 'passed' && !c.message.includes('browser'))).toEqual([]);
    expect(result.status).toBe('passed');
  });

  it('the untouched starter fails', { timeout: timeoutFor(lesson) }, async () => {
    const result = await checkProgram(lesson.id, lesson.starterFile);
    expect(result.status).toBe('failed');
  });
}

const alone = (lesson: Lesson) => lesson.definition.runsAlone === true || lesson.definition.racesTheClock === true;
describe.concurrent.each(lessons.filter((lesson) => !alone(lesson)))('lesson $folder', lessonTests);
// A lesson that loads the machine itself, and measures times and memory, is checked with nothing beside it.
describe.sequential.each(lessons.filter(alone))('lesson $folder', lessonTests);
