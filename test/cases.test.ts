import path from 'node:path';
import { expect, it } from 'vitest';
import { type Case, runCases } from '../checker/checks/cases.ts';
import { CheckFailure } from '../checker/core/errors.ts';
import { projectRoot } from '../checker/core/paths.ts';
import { compileProgram } from '../checker/process/compile.ts';
import { defineLesson } from '../checker/running/lesson-definition.ts';
import type { Lesson } from '../checker/running/lessons.ts';
import { runLesson } from '../checker/running/run-lesson.ts';
import type { RawPeer } from '../checker/peers/raw-peer.ts';
import { processesMentioning } from './processes.ts';

/**
 * A table of cases (lessons 15 and 16) runs its cases at once and reports the first that failed
 * in the table's order. It does not wait for the cases after that one: a wrong program keeps
 * them waiting out their deadlines, and they cannot change which case is reported.
 */
const server = path.join(projectRoot, 'test', 'fixtures', 'numbered-connections.ts');
const { script } = await compileProgram(server);

type Step = (peer: RawPeer) => Promise<void>;
interface StepCase extends Case {
  step: Step;
}

/** Fails at once. */
const failsAtOnce: Step = async () => {
  throw new CheckFailure('failed at once');
};
/** Waits for a WebSocket frame that never comes (the connection never upgraded): out of time after the reply deadline. */
const waitsOutItsDeadline: Step = async (peer) => {
  await peer.nextFrame('a frame that never comes');
};

/** Runs the cases as the one check of a lesson on the test server; the check's result. */
async function checkOf(cases: StepCase[]) {
  const lesson: Lesson = {
    id: '97',
    slug: 'cases',
    title: 'Cases',
    folder: '97-cases',
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
      checks: [{ id: 'table', name: 'a table of cases', run: (ctx) => runCases(ctx, cases, (peer, c) => c.step(peer)) }],
    }),
  };
  const result = await runLesson(lesson, { kind: 'file', file: server });
  expect(processesMentioning(script), 'no server is left running').toEqual([]);
  return result.checks.find((check) => check.id === 'table')!;
}

it('reports the first case when it fails, without waiting for the cases after it', async () => {
  const table = await checkOf([
    { id: 'first', proves: 'fails at once', step: failsAtOnce },
    { id: 'second', proves: 'waits for a frame that never comes', step: waitsOutItsDeadline },
  ]);
  expect(table.status).toBe('failed');
  expect(table.message).toBe('Case first (fails at once): failed at once');
  // The reply deadline is 2 s: the check did not wait it out.
  expect(table.durationMs).toBeLessThan(1_000);
});

it('waits for the cases before the first failure, and names the others that failed by then', async () => {
  let secondFailed!: () => void;
  const afterSecond = new Promise<void>((resolve) => (secondFailed = resolve));
  const table = await checkOf([
    { id: 'first', proves: 'fails once the second has', step: () => afterSecond.then(() => Promise.reject(new CheckFailure('failed second'))) },
    {
      id: 'second',
      proves: 'fails at once',
      step: async () => {
        secondFailed();
        throw new CheckFailure('failed first');
      },
    },
    { id: 'third', proves: 'passes', step: async () => {} },
  ]);
  expect(table.message).toBe('Case first (fails once the second has): failed second Also failed: second.');
});

it('passes when every case passes', async () => {
  const table = await checkOf([
    { id: 'one', proves: 'passes', step: async () => {} },
    { id: 'two', proves: 'passes too', step: async () => {} },
  ]);
  expect(table.status, table.message).toBe('passed');
});
