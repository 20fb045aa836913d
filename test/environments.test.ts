import path from 'node:path';
import { expect, it } from 'vitest';
import { CheckFailure } from '../checker/core/errors.ts';
import { projectRoot } from '../checker/core/paths.ts';
import { Transcript } from '../checker/core/transcript.ts';
import { ClientCheckContext, type ServerCheckContext } from '../checker/running/check-context.ts';
import { defineLesson, type LessonDefinition, type ServerCheck } from '../checker/running/lesson-definition.ts';
import type { Lesson } from '../checker/running/lessons.ts';
import { runLesson } from '../checker/running/run-lesson.ts';
import { ServersAhead } from '../checker/running/servers-ahead.ts';
import { eventually, processesMentioning } from './processes.ts';

/**
 * A lesson's environment (`env`) reaches every run of the learner's program, a check's own
 * environment adds to it on a server of its own, concurrent checks run at the same time on
 * servers of their own, and a server started before the lesson was loaded (without its
 * environment) is not used for it.
 */
const server = path.join(projectRoot, 'test', 'fixtures', 'environment-echo.ts');
const source = { kind: 'file' as const, file: server };

function lesson(definition: LessonDefinition): Lesson {
  const dir = path.dirname(server);
  return {
    id: '99',
    slug: 'environments',
    title: 'Environments',
    folder: '99-environments',
    readmePath: '',
    exerciseDir: dir,
    solutionDir: dir,
    starterDir: dir,
    exerciseFile: server,
    solutionFile: server,
    starterFile: server,
    definition,
  };
}

/** What the server answers about `variable`, and its process id. */
async function ask(ctx: ServerCheckContext, variable: string): Promise<{ said: string; pid: number }> {
  const client = ctx.connect('asker');
  const message = await client.send(variable).nextMessage();
  const [said, pid] = message.text.split(' in ');
  return { said: said!, pid: Number(pid) };
}

/** A check that expects `variable` to be `expected` and records which process answered. */
function expects(id: string, variable: string, expected: string, more: Partial<ServerCheck> = {}, pids = new Map<string, number>()): ServerCheck {
  return {
    id,
    name: id,
    ...more,
    run: async (ctx) => {
      const { said, pid } = await ask(ctx, variable);
      pids.set(id, pid);
      if (said !== expected) throw new CheckFailure(`expected ${expected}, the server said ${said}`);
    },
  };
}

/** The behaviour checks' verdicts; the type check of the made-up server is not what these tests are about. */
function behaviour(result: Awaited<ReturnType<typeof runLesson>>) {
  return result.checks.filter((check) => check.id !== 'type-checks');
}

function statuses(result: Awaited<ReturnType<typeof runLesson>>): Record<string, string> {
  return Object.fromEntries(behaviour(result).map((check) => [check.id, check.status === 'failed' ? `failed: ${check.message}` : check.status]));
}

it("gives every run the lesson's environment, and a check with its own a server of its own with both", async () => {
  const pids = new Map<string, number>();
  const definition = defineLesson({
    kind: 'server',
    hints: [],
    env: { LESSON_VALUE: 'lesson', SHARED_VALUE: 'from the lesson' },
    checks: [
      expects('lesson-env', 'LESSON_VALUE', 'LESSON_VALUE=lesson', {}, pids),
      expects('own-env', 'SHARED_VALUE', 'SHARED_VALUE=from the check', { env: { SHARED_VALUE: 'from the check' } }, pids),
      expects('adds-to-lesson', 'LESSON_VALUE', 'LESSON_VALUE=lesson', { env: { CHECK_VALUE: 'check' } }, pids),
      expects('back-to-shared', 'CHECK_VALUE', 'CHECK_VALUE unset', {}, pids),
    ],
  });
  const result = await runLesson(lesson(definition), source);
  expect(statuses(result)).toEqual({ starts: 'passed', 'lesson-env': 'passed', 'own-env': 'passed', 'adds-to-lesson': 'passed', 'back-to-shared': 'passed' });
  expect(pids.get('lesson-env')).toBe(pids.get('back-to-shared'));
  expect(new Set(pids.values()).size, 'each check with an env of its own had a process of its own').toBe(3);
  expect(processesMentioning(server), 'no server is left running').toEqual([]);
});

it('runs concurrent checks at the same time, each on a server of its own, and waits for what they need', async () => {
  const pids = new Map<string, number>();
  const started = new Set<string>();
  /** Passes only when the other concurrent check has started too: the two must overlap. */
  const meets = (id: string, other: string): ServerCheck => ({
    id,
    name: id,
    concurrent: true,
    env: { WHO: id },
    ms: 10_000,
    run: async (ctx) => {
      started.add(id);
      pids.set(id, (await ask(ctx, 'WHO')).pid);
      if (!(await eventually(() => started.has(other), 5_000))) throw new CheckFailure(`${other} did not run at the same time as ${id}`);
    },
  });
  const fails: ServerCheck = {
    id: 'fails',
    name: 'fails',
    run: async () => {
      throw new CheckFailure('on purpose');
    },
  };
  const definition = defineLesson({
    kind: 'server',
    hints: [],
    checks: [
      fails,
      meets('left', 'right'),
      { ...meets('skipped', 'nobody'), needs: ['fails'] },
      expects('after-left', 'WHO', 'WHO unset', { needs: ['left'] }, pids),
      meets('right', 'left'),
    ],
  });
  const result = await runLesson(lesson(definition), source);
  expect(statuses(result)).toEqual({
    starts: 'passed',
    fails: 'failed: on purpose',
    left: 'passed',
    skipped: 'skipped',
    'after-left': 'passed',
    right: 'passed',
  });
  expect(
    behaviour(result).map((check) => check.id),
    'reported in the order they are defined',
  ).toEqual(['starts', 'fails', 'left', 'skipped', 'after-left', 'right']);
  expect(new Set([pids.get('left'), pids.get('right'), pids.get('after-left')]).size).toBe(3);
  expect(processesMentioning(server), 'no server is left running').toEqual([]);
});

it('does not use a server started before the lesson was loaded when the lesson sets an environment', async () => {
  const ahead = new ServersAhead();
  const earlyPid = (await ahead.start('99-environments', source, {}).ready).program.pid;
  const definition = defineLesson({
    kind: 'server',
    hints: [],
    env: { LESSON_VALUE: 'lesson' },
    checks: [expects('lesson-env', 'LESSON_VALUE', 'LESSON_VALUE=lesson')],
  });
  const early = ahead.take('99-environments', definition, source);
  await ahead.stopRest();
  const result = await runLesson(lesson(definition), source, { early });
  expect(statuses(result)).toEqual({ starts: 'passed', 'lesson-env': 'passed' });
  expect(processesMentioning(server)).not.toContain(earlyPid);
});

it('uses a server started before the lesson was loaded when it runs the same program in the same environment', async () => {
  const ahead = new ServersAhead();
  const started = ahead.start('99-environments', source, {});
  const withRedis = defineLesson({ kind: 'server', hints: [], redis: true, checks: [] });
  expect(ahead.take('99-environments', withRedis, source), 'a lesson with a Redis of its own starts its server later').toBeUndefined();
  expect(ahead.take('99-environments', defineLesson({ kind: 'server', hints: [], checks: [] }), source)).toBe(started);
  await started.stop();
});

it("gives a client lesson's launches the lesson's and the check's environment", async () => {
  const program = { kind: 'command' as const, command: 'node -e "console.log(process.env.LESSON_VALUE, process.env.CHECK_VALUE)"' };
  const ctx = new ClientCheckContext(program, projectRoot, new Transcript(), { LESSON_VALUE: 'lesson', CHECK_VALUE: 'check' });
  try {
    const client = ctx.launch('ws://127.0.0.1:9');
    await client.waitForLine((line) => line.text === 'lesson check', 'the environment');
  } finally {
    await ctx.dispose();
  }
});
