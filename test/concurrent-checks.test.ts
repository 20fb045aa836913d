import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckerWasLate, CheckFailure } from '../checker/core/errors.ts';
import { projectRoot } from '../checker/core/paths.ts';
import { compileProgram } from '../checker/process/compile.ts';
import { defineLesson, type ServerCheck } from '../checker/running/lesson-definition.ts';
import type { Lesson } from '../checker/running/lessons.ts';
import { runLesson } from '../checker/running/run-lesson.ts';
import { ServersAhead } from '../checker/running/servers-ahead.ts';
import { PendingServer } from '../checker/running/pending-server.ts';
import type { ServerCheckContext } from '../checker/running/check-context.ts';
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

/** A lesson of `checks` on the numbered-connections server. */
function lessonOf(checks: ServerCheck[], env?: Record<string, string>): Lesson {
  return { ...lesson, definition: defineLesson({ kind: 'server', hints: [], env, checks }) };
}

/** A check that notes which process served its first connection, and that it was the process's first. */
function servedBy(id: string, pids: Map<string, number>, options: Partial<ServerCheck> = {}): ServerCheck {
  return {
    id,
    name: `notes the process that served ${id}`,
    ...options,
    run: async (ctx) => {
      await ctx.connect(id).send('hi').expectText(`connection 1 of process ${ctx.server.pid}`);
      pids.set(id, ctx.server.pid);
    },
  };
}

it("gives the server started ahead to the first concurrent check that can run on it, and starts the lesson's anew", async () => {
  const source = { kind: 'file' as const, file: server };
  const pids = new Map<string, number>();
  const checks = [servedBy('main', pids), servedBy('waits', pids, { concurrent: true }), servedBy('own-env', pids, { concurrent: true, env: { X: '1' } })];
  const ahead = new ServersAhead();
  const started = ahead.start(lesson.folder, source, {});
  const early = ahead.take(lesson.folder, lessonOf(checks).definition, source);
  expect(early).toBe(started);
  const result = await runLesson(lessonOf(checks), source, { early });
  expect(failuresOf(result)).toEqual([]);
  expect(pids.get('waits')).toBe((await started.ready).program.pid);
  expect(new Set(pids.values()).size, 'three processes').toBe(3);
  expect(processesMentioning(script), 'no server is left running').toEqual([]);
});

it("stops the concurrent check begun on the server started ahead when the lesson's own does not start, and reports it as not run", async () => {
  const source = { kind: 'file' as const, file: server };
  const pids = new Map<string, number>();
  let began = false;
  const beside = servedBy('beside', pids, { concurrent: true, needs: ['main'] });
  const noted: ServerCheck = {
    ...beside,
    run: (ctx: ServerCheckContext) => {
      began = true;
      return beside.run(ctx);
    },
  };
  const checks = [servedBy('main', pids), noted];
  // Started ahead, it listens; the lesson's own server, started in the lesson's environment, stops at once.
  const early = new PendingServer(source);
  await early.ready;
  const result = await runLesson(lessonOf(checks, { STOP_AT_ONCE: '1' }), source, { early });
  const status = Object.fromEntries(result.checks.map((check) => [check.id, check.status]));
  expect(status).toEqual({ starts: 'failed', main: 'skipped', beside: 'skipped', 'type-checks': 'passed' });
  expect(began, 'the concurrent check began beside the start').toBe(true);
  expect(processesMentioning(script), 'no server is left running').toEqual([]);
});

function failuresOf(result: Awaited<ReturnType<typeof runLesson>>): string[] {
  return result.checks.filter((check) => check.status !== 'passed').map((check) => `${check.id}: ${check.message}`);
}

it("calls a check's prepare as the lesson's checks begin, before the checks before it run", async () => {
  let preparedAt = Number.POSITIVE_INFINITY;
  let firstRanAt = 0;
  const first: ServerCheck = {
    id: 'first',
    name: 'runs first',
    run: async () => {
      firstRanAt = performance.now();
    },
  };
  const later: ServerCheck = {
    id: 'later',
    name: 'needs something slow',
    prepare: () => {
      preparedAt = performance.now();
    },
    run: async () => {},
  };
  const result = await runLesson(lessonOf([first, later]), { kind: 'file', file: server });
  expect(failuresOf(result)).toEqual([]);
  expect(preparedAt).toBeLessThan(firstRanAt);
});

describe('a concurrent check that fails because the checker itself was late', () => {
  /** Fails with CheckerWasLate on its first `lateTries` tries, noting each try's server. */
  function lateAtFirst(lateTries: number, pids: number[]): ServerCheck {
    return {
      id: 'late',
      name: 'judged late at first',
      concurrent: true,
      run: async (ctx) => {
        await ctx
          .connect(`try-${pids.length + 1}`)
          .send('hi')
          .expectText(`connection 1 of process ${ctx.server.pid}`);
        pids.push(ctx.server.pid);
        if (pids.length <= lateTries) throw new CheckerWasLate(`late on try ${pids.length}`);
      },
    };
  }

  it('runs once more, on a new run of the server, and reports the second try', async () => {
    const pids: number[] = [];
    const result = await runLesson(lessonOf([lateAtFirst(1, pids)]), { kind: 'file', file: server });
    expect(failuresOf(result)).toEqual([]);
    expect(pids).toHaveLength(2);
    expect(pids[1], 'a new process').not.toBe(pids[0]);
    expect(processesMentioning(script), 'no server is left running').toEqual([]);
  });

  it('is tried twice at most: a second late failure is reported, with both tries in its transcript', async () => {
    const pids: number[] = [];
    const result = await runLesson(lessonOf([lateAtFirst(5, pids)]), { kind: 'file', file: server });
    const late = result.checks.find((check) => check.id === 'late')!;
    expect(late.status).toBe('failed');
    expect(late.message).toBe('late on try 2');
    expect(late.transcript?.join('\n')).toMatch(/late on try 1 The checker was too late to judge: once more/);
    expect(pids).toHaveLength(2);
    expect(processesMentioning(script), 'no server is left running').toEqual([]);
  });

  it('is not tried again when it failed for any other reason', async () => {
    let tries = 0;
    const wrong: ServerCheck = {
      id: 'wrong',
      name: 'fails',
      concurrent: true,
      run: async () => {
        tries++;
        throw new CheckFailure('wrong');
      },
    };
    const result = await runLesson(lessonOf([wrong]), { kind: 'file', file: server });
    expect(result.checks.find((check) => check.id === 'wrong')?.status).toBe('failed');
    expect(tries).toBe(1);
  });
});
