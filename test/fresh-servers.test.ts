import path from 'node:path';
import { expect, it } from 'vitest';
import type { ServerCheckContext } from '../checker/running/check-context.ts';
import { CheckFailure } from '../checker/core/errors.ts';
import { defineLesson, type ServerCheck } from '../checker/running/lesson-definition.ts';
import type { Lesson } from '../checker/running/lessons.ts';
import { projectRoot } from '../checker/core/paths.ts';
import { compileProgram } from '../checker/process/compile.ts';
import { runLesson } from '../checker/running/run-lesson.ts';
import { eventually, processesMentioning } from './processes.ts';

/**
 * A fresh check's server is started while the check before it runs (so its start costs no
 * time of its own), yet it is still a new process that no other check has talked to, a check
 * that is skipped leaves no server behind, and nothing runs once the lesson is over. A fresh
 * first check runs on the lesson's own server, which no check has used yet.
 */
const server = path.join(projectRoot, 'test', 'fixtures', 'numbered-connections.ts');
/** What the server's processes run: its compiled build, the one the checks will use (the same content, so the same build). */
const { script } = await compileProgram(server);
const usedBy = new Map<string, number>();

/** Passes only on a process whose first connection this is. */
const firstConnection = (id: string, needs?: string[]): ServerCheck => ({
  id,
  name: `${id}: the server is a fresh process`,
  fresh: true,
  needs,
  run: async (ctx) => {
    usedBy.set(id, ctx.server.pid);
    await ctx.connect('alice').send('hi').expectText(`connection 1 of process ${ctx.server.pid}`);
  },
});

/** A check on the shared server that sees the next fresh check's server already starting. */
const seesOneAhead: ServerCheck = {
  id: 'shared',
  name: 'the next fresh server starts while this check runs',
  run: async (ctx: ServerCheckContext) => {
    usedBy.set('shared', ctx.server.pid);
    await ctx.connect('bob').send('hi');
    // Servers of earlier checks may still be on their way out: only an unused one counts.
    const others = () => processesMentioning(script).filter((pid) => ![...usedBy.values()].includes(pid));
    if (!(await eventually(() => others().length > 0, 5_000))) throw new CheckFailure('expected a server started ahead, found none');
  },
};

const failing: ServerCheck = {
  id: 'fails',
  name: 'fails on purpose',
  run: async () => {
    throw new CheckFailure('failed on purpose');
  },
};

const definition = defineLesson({
  kind: 'server',
  hints: [],
  checks: [firstConnection('a'), seesOneAhead, firstConnection('b'), failing, firstConnection('skipped', ['fails']), firstConnection('c')],
});

const lesson: Lesson = {
  id: '99',
  slug: 'fresh-servers',
  title: 'Fresh servers',
  folder: '99-fresh-servers',
  readmePath: '',
  exerciseDir: path.dirname(server),
  solutionDir: path.dirname(server),
  starterDir: path.dirname(server),
  exerciseFile: server,
  solutionFile: server,
  starterFile: server,
  definition,
};

it('starts fresh servers ahead, each a new process, and leaves none behind', async () => {
  const result = await runLesson(lesson, { kind: 'file', file: server });
  const status = Object.fromEntries(result.checks.map((check) => [check.id, check.status]));
  expect(
    status,
    JSON.stringify(
      result.checks.filter((c) => c.status === 'failed'),
      null,
      2,
    ),
  ).toEqual({
    starts: 'passed',
    a: 'passed',
    shared: 'passed',
    b: 'passed',
    fails: 'failed',
    skipped: 'skipped',
    c: 'passed',
    // The server is a TypeScript file, so it is type-checked too.
    'type-checks': 'passed',
  });
  // The first check ran on the lesson's server, which no check had used before it.
  expect(usedBy.get('a')).toBe(usedBy.get('shared'));
  const pids = ['shared', 'b', 'c'].map((id) => usedBy.get(id));
  expect(new Set(pids).size, 'every later fresh check had a process of its own').toBe(3);
  expect(usedBy.has('skipped')).toBe(false);
  expect(processesMentioning(script), 'no server is left running').toEqual([]);
});
