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
 * A lesson of several `instances` runs them for all its checks: the lesson's server is the
 * first, the others are the same processes from check to check, one a check stopped is
 * started again for the next, and nothing is left running afterwards.
 */
const server = path.join(projectRoot, 'test', 'fixtures', 'numbered-connections.ts');
const { script } = await compileProgram(server);
const seen: Record<string, number[]> = {};

/** Records the pids of the instances, and that each answers on its own port. */
const recordsInstances = (id: string): ServerCheck => ({
  id,
  name: `${id}: two instances, the first the lesson's server`,
  run: async (ctx) => {
    const instances = await ctx.instances();
    seen[id] = instances.map((instance) => instance.program.pid);
    if (instances.length !== 2 || instances[0]!.program.pid !== ctx.server.pid)
      throw new CheckFailure(`expected the lesson's server and one more: ${seen[id]}`);
    for (const instance of instances) {
      const answer = `of process ${instance.program.pid}`;
      await instance
        .connect(`to-${instance.name}`)
        .send('hi')
        .expectMessage((message) => message.text.endsWith(answer), `an answer ending "${answer}"`);
    }
  },
});

const stopsB: ServerCheck = {
  id: 'stops-b',
  name: 'stops server B on purpose',
  run: async (ctx) => {
    const [, b] = await ctx.instances();
    seen['stops-b'] = [b!.program.pid];
    await b!.stop();
  },
};

const lesson: Lesson = {
  id: '97',
  slug: 'lesson-instances',
  title: 'Lesson instances',
  folder: '97-lesson-instances',
  readmePath: '',
  exerciseDir: path.dirname(server),
  solutionDir: path.dirname(server),
  starterDir: path.dirname(server),
  exerciseFile: server,
  solutionFile: server,
  starterFile: server,
  definition: defineLesson({
    kind: 'server',
    hints: [],
    instances: 2,
    checks: [recordsInstances('first'), recordsInstances('second'), stopsB, recordsInstances('after')],
  }),
};

it("shares a lesson's instances between its checks, starts again one a check stopped, and leaves none behind", async () => {
  const result = await runLesson(lesson, { kind: 'file', file: server });
  const status = Object.fromEntries(result.checks.map((check) => [check.id, check.status]));
  expect(status, JSON.stringify(result.checks.filter((check) => check.status === 'failed'))).toEqual({
    starts: 'passed',
    first: 'passed',
    second: 'passed',
    'stops-b': 'passed',
    after: 'passed',
    'type-checks': 'passed',
  });
  expect(seen.second, 'the same two processes').toEqual(seen.first);
  expect(seen['stops-b']![0]).toBe(seen.first![1]);
  expect(seen.after![0], "the lesson's server stayed").toBe(seen.first![0]);
  expect(seen.after![1], 'server B was started again').not.toBe(seen.first![1]);
  expect(processesMentioning(script), 'no server is left running').toEqual([]);
});
