import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../checker/core/paths.ts';
import { typeCheck } from '../checker/process/type-check.ts';
import { listLessons, loadLesson } from '../checker/running/lessons.ts';
import { typeCheckResult } from '../checker/running/type-check-result.ts';
import { checkNamed, checkProgram } from './helpers.ts';

/**
 * The learner's file is type-checked (DESIGN rule 9), strictly, beside the behaviour checks:
 * a type error is a failed "type-checks" check with a code frame, and changes nothing else.
 */

const WITH_TYPE_ERRORS = path.join(projectRoot, 'test/fixtures/type-errors/echo-server.ts');
const scratch = mkdtempSync(path.join(tmpdir(), 'workbook-types-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the type check', () => {
  it('a type error fails "type-checks" with a code frame, while every behaviour check passes', async () => {
    const result = await checkProgram('1', WITH_TYPE_ERRORS);
    const behaviour = result.checks.filter((check) => check.id !== 'type-checks');
    expect(behaviour.filter((check) => check.status !== 'passed')).toEqual([]);
    const typed = checkNamed(result, 'type-checks');
    expect(typed.status).toBe('failed');
    expect(result.status).toBe('failed');
    // Two errors; the variable that is never read is none.
    expect(typed.message).toBe('TypeScript found 2 type errors in test/fixtures/type-errors/echo-server.ts.');
    const frames = typed.details!.received!;
    expect(frames).toContain(
      [
        "test/fixtures/type-errors/echo-server.ts:5:7: error TS2322: Type 'string | 8080' is not assignable to type 'number'.",
        "  Type 'string' is not assignable to type 'number'.",
        '  5 | const port: number = process.env.PORT ?? 8080;',
        '    |       ^',
      ].join('\n'),
    );
    expect(frames).toContain("test/fixtures/type-errors/echo-server.ts:12:11: error TS2322: Type 'RawData' is not assignable to type 'string'.");
    expect(frames).toContain(['  12 |     const text: string = data;', '     |           ^'].join('\n'));
    expect(typed.details!.explanation).toMatch(/runs in spite of type errors/);
  });

  it('the starters and the reference solutions have no type errors', async () => {
    const lessons = await Promise.all(listLessons().map(loadLesson));
    const outcome = await typeCheck(lessons.flatMap((lesson) => [lesson.starterFile, lesson.solutionFile]));
    expect(outcome.kind).toBe('checked');
    if (outcome.kind === 'checked') expect(outcome.errors).toEqual([]);
  });

  it('files checked together: each lesson is given the errors of its own files only', async () => {
    const clean = (await loadLesson(listLessons()[0]!)).solutionFile;
    const outcome = typeCheck([clean, WITH_TYPE_ERRORS]);
    expect((await typeCheckResult(outcome, clean)).status).toBe('passed');
    expect((await typeCheckResult(outcome, WITH_TYPE_ERRORS)).message).toMatch(/found 2 type errors/);
  });

  it('a file with ten thousand type errors: five code frames and a count of the rest', async () => {
    const file = path.join(scratch, 'many.ts');
    writeFileSync(file, Array.from({ length: 10_000 }, (_, i) => `export const value${i}: number = 'text';`).join('\n'));
    const result = await typeCheckResult(typeCheck([file]), file);
    expect(result.message).toMatch(/found 10000 type errors/);
    expect(result.details!.received!.match(/error TS2322/g)).toHaveLength(5);
    expect(result.details!.received).toMatch(/… and 9995 more type errors$/);
  });

  it('a program given as a command (any language) is not type-checked', async () => {
    const result = await checkProgram('1', { kind: 'command', command: 'node test/fixtures/any-language/echo-server.mjs' });
    expect(result.status).toBe('passed');
    expect(result.checks.map((check) => check.id)).not.toContain('type-checks');
  });
});
