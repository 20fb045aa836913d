import path from 'node:path';
import { expect, it } from 'vitest';
import type { ClientCheckContext } from '../checker/running/check-context.ts';
import { stage } from '../checker/checks/client-program.ts';
import { CheckFailure } from '../checker/core/errors.ts';
import { defineLesson, type ClientCheck } from '../checker/running/lesson-definition.ts';
import type { Lesson } from '../checker/running/lessons.ts';
import { projectRoot } from '../checker/core/paths.ts';
import type { RunningProgram } from '../checker/process/program.ts';
import { runLesson } from '../checker/running/run-lesson.ts';
import { eventually, processesMentioning } from './processes.ts';

/**
 * A client check marked `continues` takes over the run of the check before it when that check
 * passed (the same program, the same transcript), and starts a run of its own when it did not;
 * a check without `continues` always starts its own; nothing runs once the lesson is over.
 */
const MARKER = 'continued-runs-fixture';
const client = { kind: 'command', command: `node -e "setInterval(() => {}, 1000)" ${MARKER}` } as const;

const launched = stage(async (ctx: ClientCheckContext): Promise<RunningProgram> => ctx.launch('ws://127.0.0.1:9'));
const programOf = new Map<string, number>();

const records = (id: string, extra: Partial<ClientCheck> = {}): ClientCheck => ({
  id,
  name: `${id}: records the program it runs on`,
  ...extra,
  run: async (ctx) => {
    const program = await launched(ctx);
    programOf.set(id, program.pid);
    ctx.note(`check ${id} was here`);
  },
});

const definition = defineLesson({
  kind: 'client',
  hints: [],
  checks: [
    records('first'),
    records('continues', { continues: true }),
    {
      id: 'fails',
      name: 'fails on purpose, on the same run',
      continues: true,
      run: async (ctx) => {
        programOf.set('fails', (await launched(ctx)).pid);
        throw new CheckFailure('failed on purpose');
      },
    },
    records('after-failure', { continues: true }),
    records('own'),
  ],
});

const file = path.join(projectRoot, 'test', 'continued-runs.test.ts');
const lesson: Lesson = {
  id: '98',
  slug: 'continued-runs',
  title: 'Continued runs',
  folder: '98-continued-runs',
  readmePath: '',
  exerciseDir: path.dirname(file),
  solutionDir: path.dirname(file),
  starterDir: path.dirname(file),
  exerciseFile: file,
  solutionFile: file,
  starterFile: file,
  definition,
};

it('continues the run of a check that passed, starts a new run after one that failed, and leaves nothing running', async () => {
  const result = await runLesson(lesson, client);
  const status = Object.fromEntries(result.checks.map((check) => [check.id, check.status]));
  expect(status).toEqual({ first: 'passed', continues: 'passed', fails: 'failed', 'after-failure': 'passed', own: 'passed' });

  expect(programOf.get('continues')).toBe(programOf.get('first'));
  expect(programOf.get('fails')).toBe(programOf.get('first'));
  expect(programOf.get('after-failure')).not.toBe(programOf.get('first'));
  expect(programOf.get('own')).not.toBe(programOf.get('after-failure'));

  // The failure's transcript is the whole run so far, with the hand-over from one check to the next noted.
  const transcript = result.checks.find((check) => check.id === 'fails')!.transcript!.join('\n');
  expect(transcript).toMatch(/check first was here[\s\S]*next check starts here[\s\S]*check continues was here[\s\S]*next check starts here/);
  expect(await eventually(() => processesMentioning(MARKER).length === 0, 5_000)).toBe(true);
});

it('runs concurrent checks at the same time as the others, each on runs of its own, after the checks they need', async () => {
  // Each concurrent check waits for the other to have begun: run one after the other, both would time out.
  let began!: () => void;
  const otherBegan = new Promise<void>((resolve) => (began = resolve));
  const order: string[] = [];
  const barrier = defineLesson({
    kind: 'client',
    hints: [],
    checks: [
      records('sequential'),
      {
        id: 'waits-for-the-other',
        name: 'waits for the other concurrent check to begin',
        concurrent: true,
        needs: ['sequential'],
        ms: 2_000,
        run: async (ctx) => {
          programOf.set('waits-for-the-other', (await launched(ctx)).pid);
          order.push('waiting');
          await otherBegan;
        },
      },
      {
        id: 'begins',
        name: 'begins, and lets the other finish',
        concurrent: true,
        ms: 2_000,
        run: async (ctx) => {
          programOf.set('begins', (await launched(ctx)).pid);
          order.push('begins');
          began();
        },
      },
      records('continues-sequential', { continues: true }),
    ],
  });
  const result = await runLesson({ ...lesson, definition: barrier }, client);
  expect(result.checks.map((check) => `${check.id}: ${check.status}`)).toEqual([
    'sequential: passed',
    'waits-for-the-other: passed',
    'begins: passed',
    'continues-sequential: passed',
  ]);
  // Each concurrent check has a run of its own; a check after one has no run before it to continue, and starts its own.
  const runs = ['sequential', 'waits-for-the-other', 'begins', 'continues-sequential'].map((id) => programOf.get(id));
  expect(new Set(runs).size).toBe(4);
  expect(await eventually(() => processesMentioning(MARKER).length === 0, 5_000)).toBe(true);
});
