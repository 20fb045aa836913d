import path from 'node:path';
import { expect, it } from 'vitest';
import { CheckFailure } from '../checker/core/errors.ts';
import { projectRoot } from '../checker/core/paths.ts';
import { compileProgram } from '../checker/process/compile.ts';
import { defineLesson, type ServerCheck } from '../checker/running/lesson-definition.ts';
import type { Lesson } from '../checker/running/lessons.ts';
import { runLesson } from '../checker/running/run-lesson.ts';
import { processesMentioning } from './processes.ts';

/**
 * A concurrent check begins at once, on a server of its own, while the checks it needs are
 * still running (its waits overlap theirs); when one of those fails, it is reported as skipped,
 * and nothing of it is left running.
 */
const server = path.join(projectRoot, 'test', 'fixtures', 'numbered-connections.ts');
const { script } = await compileProgram(server);

let alongsideBegan!: () => void;
const began = new Promise<void>((resolve) => (alongsideBegan = resolve));

/** Passes only if the concurrent check that needs it has begun while it runs. */
const waitsForAlongside: ServerCheck = {
  id: 'needed',
  name: 'the concurrent check that needs this one begins while it runs',
  run: async () => {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new CheckFailure('the concurrent check did not begin before the check it needs ended')), 5_000).unref(),
    );
    await Promise.race([began, timeout]);
  },
};

const alongside: ServerCheck = {
  id: 'alongside',
  name: 'runs alongside the check it needs',
  concurrent: true,
  needs: ['needed'],
  run: async (ctx) => {
    alongsideBegan();
    await ctx.connect('alice').send('hi').expectText(`connection 1 of process ${ctx.server.pid}`);
  },
};

const failing: ServerCheck = {
  id: 'fails',
  name: 'fails on purpose',
  run: async () => {
    throw new CheckFailure('failed on purpose');
  },
};

const blocked: ServerCheck = {
  id: 'blocked',
  name: 'needs a check that fails',
  concurrent: true,
  needs: ['fails'],
  run: async (ctx) => {
    await ctx.connect('bob').send('hi').expectText(`connection 1 of process ${ctx.server.pid}`);
  },
};

const lesson: Lesson = {
  id: '98',
  slug: 'concurrent-checks',
  title: 'Concurrent checks',
  folder: '98-concurrent-checks',
  readmePath: '',
  exerciseDir: path.dirname(server),
  solutionDir: path.dirname(server),
  starterDir: path.dirname(server),
  exerciseFile: server,
  solutionFile: server,
  starterFile: server,
  definition: defineLesson({ kind: 'server', hints: [], checks: [waitsForAlongside, alongside, failing, blocked] }),
};

it('begins concurrent checks at once, and reports one whose need failed as skipped', async () => {
  const result = await runLesson(lesson, { kind: 'file', file: server });
  const status = Object.fromEntries(result.checks.map((check) => [check.id, check.status]));
  expect(status, JSON.stringify(result.checks.filter((check) => check.status === 'failed'))).toEqual({
    starts: 'passed',
    needed: 'passed',
    alongside: 'passed',
    fails: 'failed',
    blocked: 'skipped',
    'type-checks': 'passed',
  });
  expect(result.checks.find((check) => check.id === 'blocked')?.message).toMatch(/fails/);
  expect(processesMentioning(script), 'no server is left running').toEqual([]);
});
