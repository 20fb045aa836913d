import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCommand } from './helpers.ts';
import { copyWorkbook } from './workbook-copy.ts';

/**
 * The npm scripts start the checker from a build of checker/ and lessons/ (checker/start.mjs):
 * whoever edits a lesson or the checker sees the change at the next command, with no step between.
 */
let workbook: ReturnType<typeof copyWorkbook>;

beforeAll(() => {
  workbook = copyWorkbook();
});
afterAll(() => workbook.remove());

function edit(file: string, from: string, to: string): void {
  const full = path.join(workbook.root, file);
  const text = readFileSync(full, 'utf8');
  expect(text).toContain(from);
  writeFileSync(full, text.replace(from, to));
}

it("runs a lesson's and the checker's latest code", () => {
  // The first hint, every time: no progress is kept from one run to the next.
  const progress = path.join(workbook.root, 'hints-shown.json');
  const firstHint = () => {
    rmSync(progress, { force: true });
    return runCommand(['hint', '1'], { root: workbook.root, env: { WORKBOOK_PROGRESS_FILE: progress } }).stdout;
  };
  expect(firstHint()).toMatch(/Everything happens inside wss\.on/);
  edit('lessons/01-echo/lesson.ts', 'Everything happens inside', 'Edited: everything happens inside');
  expect(firstHint()).toMatch(/Edited: everything happens inside wss\.on/);

  const usage = () => runCommand(['check', '--bogus'], { root: workbook.root }).stderr;
  expect(usage()).toMatch(/Usage: npm run check/);
  edit('checker/commands/check.ts', "'npm run check -- [lesson", "'edited: npm run check -- [lesson");
  expect(usage()).toMatch(/Usage: edited: npm run check/);
});

it('reports a checker that does not compile in one line, without a stack trace', () => {
  edit('checker/core/errors.ts', 'export class UsageError extends Error {', 'export class UsageError extends Error {{');
  const run = runCommand(['check', '1'], { root: workbook.root });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/^The workbook's checker could not be built: checker\/core\/errors\.ts:\d+:\d+: /);
  expect(run.stderr).not.toMatch(/\n\s+at /);
});
