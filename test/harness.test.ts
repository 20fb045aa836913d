import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckFailure } from '../checker/core/errors.ts';
import { defineLesson, type ClientCheck, type LessonDefinition, type ServerCheck } from '../checker/running/lesson-definition.ts';
import type { Lesson } from '../checker/running/lessons.ts';
import { allocatePort, releasePort } from '../checker/process/ports.ts';
import { groupExiting, livingMembers } from '../checker/process/process-group.ts';
import { RunningProgram, type ProgramSource } from '../checker/process/program.ts';
import { waitUntilListening } from '../checker/process/readiness.ts';
import { runLesson } from '../checker/running/run-lesson.ts';
import { ServersAhead } from '../checker/running/servers-ahead.ts';
import { projectRoot } from '../checker/core/paths.ts';
import { checkProgram } from './helpers.ts';

/**
 * The lesson runner's own robustness, with made-up lessons: a check that runs out of time
 * while its body still runs must not go on running into the next check, and a readiness probe
 * that gets no answer at all must not wait past the start deadline.
 */

const scratch = mkdtempSync(path.join(os.tmpdir(), 'workbook-harness-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;

function lesson(definition: LessonDefinition): Lesson {
  const none = path.join(scratch, 'none');
  return {
    id: '99',
    slug: 'made-up',
    title: 'Made up',
    folder: '99-made-up',
    readmePath: none,
    exerciseDir: none,
    solutionDir: none,
    starterDir: none,
    exerciseFile: none,
    solutionFile: none,
    starterFile: none,
    definition,
  };
}

/** A made-up lesson of these checks. */
const serverLesson = (checks: ServerCheck[]) => lesson(defineLesson({ kind: 'server', hints: [], checks }));
const clientLesson = (checks: ClientCheck[]) => lesson(defineLesson({ kind: 'client', hints: [], checks }));

/** A fault program as a command, recording its processes in a file of its own. */
function fault(name: string): { source: ProgramSource; groups: () => number[] } {
  const file = path.join(scratch, `${name}-${++files}.jsonl`);
  const read = () => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  return {
    source: { kind: 'command', command: `FAULT_RECORD='${file}' node test/fixtures/faults/${name}.mjs` },
    groups: () =>
      read()
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { pgid: number }).pgid),
  };
}

const alive = (pgid: number) => (livingMembers(pgid) ?? []).length > 0;

describe.concurrent('a check that runs out of time', () => {
  it('has its clients closed and its body ended before the next check starts', async () => {
    let bodyEnded = false;
    const program = fault('correct');
    const result = await runLesson(
      serverLesson([
        {
          id: 'hangs',
          name: 'waits far longer than its deadline',
          ms: 500,
          run: async (ctx) => {
            try {
              await ctx.connect('alice').send('hello').expectText('Echo: hello').expectText('a reply that never comes', { ms: 30_000 });
            } finally {
              bodyEnded = true;
            }
          },
        },
        {
          id: 'after',
          name: 'runs after it, on a server of its own',
          run: async (ctx) => {
            if (!bodyEnded) throw new CheckFailure('the check before is still running');
            const [first] = program.groups();
            if (first === undefined || ctx.server.pid === first) throw new CheckFailure('the server of the check that ran out of time was kept');
            await ctx.connect('bob').send('hi').expectText('Echo: hi');
          },
        },
      ]),
      program.source,
    );
    const [starts, hangs, after] = result.checks;
    expect(starts?.status).toBe('passed');
    expect(hangs?.status).toBe('failed');
    expect(hangs?.message).toMatch(/did not finish within 0\.5 s/);
    expect(after?.message).toBe('');
    expect(after?.status).toBe('passed');
    for (const pgid of program.groups()) expect(alive(pgid), `group ${pgid}`).toBe(false);
  });

  it('stops the fresh server it was still starting', async () => {
    const program = fault('slow-start');
    const result = await runLesson(
      serverLesson([
        // A first check, which the lesson's own server serves: fresh checks after it start their own.
        { id: 'first', name: "runs on the lesson's server", run: async () => {} },
        // The program takes 1.5 s to listen, so this check's deadline passes while it starts.
        { id: 'slow-fresh', name: 'has a fresh server', fresh: true, ms: 1_000, run: async () => {} },
        {
          id: 'after',
          name: 'finds nothing of the check before still running',
          run: async (ctx) => {
            const leftOver = program.groups().filter((pgid) => pgid !== ctx.server.pid && alive(pgid));
            if (leftOver.length > 0) throw new CheckFailure(`still running: process group ${leftOver.join(', ')}`);
          },
        },
      ]),
      program.source,
    );
    const [, , slowFresh, after] = result.checks;
    expect(slowFresh?.message).toMatch(/did not finish within 1\.0 s/);
    expect(after?.message).toBe('');
    expect(program.groups().length, 'the fresh server had started').toBeGreaterThanOrEqual(2);
    for (const pgid of program.groups()) expect(alive(pgid), `group ${pgid}`).toBe(false);
  });

  it('stops the client program of a client lesson and ends the wait for it', async () => {
    let bodyEnded = false;
    const program = fault('never-listens');
    const result = await runLesson(
      clientLesson([
        {
          id: 'hangs',
          name: 'waits for a connection far longer than its deadline',
          ms: 500,
          run: async (ctx) => {
            try {
              const server = await ctx.startServer();
              ctx.launch(server.url);
              await server.nextConnection(30_000);
            } finally {
              bodyEnded = true;
            }
          },
        },
        {
          id: 'after',
          name: 'runs after it',
          run: async () => {
            if (!bodyEnded) throw new CheckFailure('the check before is still running');
          },
        },
      ]),
      program.source,
    );
    expect(result.checks.map((c) => c.status)).toEqual(['failed', 'passed']);
    for (const pgid of program.groups()) expect(alive(pgid), `group ${pgid}`).toBe(false);
  });
});

describe("a lesson's and a check's environment", () => {
  it('reach every server the lesson starts, a check with its own gets a server of its own, and a server started without them is not used', async () => {
    const printsEnv: ProgramSource = {
      kind: 'command',
      command: 'echo "LIMIT=${LIMIT:-unset} EXTRA=${EXTRA:-unset}"; exec node test/fixtures/faults/correct.mjs',
    };
    const printed = (expected: string) => async (ctx: { server: RunningProgram }) => {
      const line = await ctx.server.waitForLine((l) => l.text.startsWith('LIMIT='), 'the environment line', { ms: 5_000 });
      if (line.text !== expected) throw new CheckFailure(`the server printed ${line.text}`);
    };
    const definition = defineLesson({
      kind: 'server',
      hints: [],
      env: { LIMIT: '42' },
      checks: [
        { id: 'first', name: "the lesson's server has the lesson's", run: printed('LIMIT=42 EXTRA=unset') },
        { id: 'own', name: 'a check with its own has both', env: { EXTRA: 'yes', LIMIT: '7' }, run: printed('LIMIT=7 EXTRA=yes') },
        { id: 'fresh', name: "a fresh server has the lesson's", fresh: true, run: printed('LIMIT=42 EXTRA=unset') },
      ],
    });
    const ahead = new ServersAhead();
    ahead.start('99-environment', printsEnv, {});
    const early = ahead.take('99-environment', definition, printsEnv);
    await ahead.stopRest();
    const result = await runLesson(lesson(definition), printsEnv, { early });
    expect(result.checks.map((check) => `${check.id} ${check.status} ${check.message}`)).toEqual([
      'starts passed ',
      'first passed ',
      'own passed ',
      'fresh passed ',
    ]);
  });
});

const python = '/usr/bin/python3';
const hasPython = spawnSync(python, ['--version']).status === 0;

describe('readiness', () => {
  it.skipIf(!hasPython)('gives up at the start deadline on a port whose probes get no answer at all (full accept queue)', async () => {
    const port = await allocatePort();
    const program = RunningProgram.start(
      { kind: 'command', command: `${python} test/fixtures/faults/full-accept-queue.py` },
      { env: { PORT: String(port) }, cwd: projectRoot },
    );
    try {
      await program.waitForLine((line) => line.text === 'full', 'full', { ms: 10_000 });
      const outcome = await waitUntilListening(program, port).then(
        () => 'ready',
        (error: Error) => error.message,
      );
      expect(outcome).toMatch(/listens on port \d+ but did not accept a connection within 5\.0 s/);
    } finally {
      await program.stop();
      releasePort(port);
    }
  });
});

describe.concurrent('telling a dying program from a live one', () => {
  const start = (command: string) => RunningProgram.start({ kind: 'command', command }, { env: {}, cwd: projectRoot });

  it('a program that is running normally is not exiting', async () => {
    const program = start('node test/fixtures/faults/never-listens.mjs');
    try {
      await program.waitForLine((line) => line.text.startsWith('Loading'), 'its first line', { ms: 10_000 });
      expect(groupExiting(program.pid)).toBe(false);
    } finally {
      await program.stop();
    }
    expect(groupExiting(program.pid), 'a group that is gone').toBe(true);
  });

  it('a group holding a process that has exited but not been reaped (a zombie) is exiting', async () => {
    // The parent's event loop is blocked, so it never collects its child's exit status.
    const program = start(`node -e "require('child_process').spawn('true').on('spawn', () => { console.log('spawned'); for (;;) {} })"`);
    try {
      await program.waitForLine((line) => line.text === 'spawned', 'spawned', { ms: 10_000 });
      const until = performance.now() + 10_000;
      while (!groupExiting(program.pid) && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(groupExiting(program.pid)).toBe(true);
    } finally {
      await program.stop();
    }
  });
});

describe.concurrent('a port taken by another program', () => {
  it('between handing it out and the program binding it: the start is tried again on another port', async () => {
    const file = path.join(scratch, `port-taken-${++files}.jsonl`);
    const marker = path.join(scratch, `port-taken-${files}.marker`);
    const command = `FAULT_RECORD='${file}' FAULT_MARKER='${marker}' node test/fixtures/faults/port-taken-first.mjs`;
    const records = () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { role: string; otherPid?: number });
    try {
      const result = await checkProgram('1', { kind: 'command', command });
      expect(result.checks.filter((c) => c.status !== 'passed').map((c) => c.message)).toEqual([]);
      expect(records().filter((r) => r.role === 'program').length, 'started twice').toBe(2);
    } finally {
      for (const other of records().filter((r) => r.otherPid)) process.kill(other.otherPid!, 'SIGKILL');
    }
  });

  it('that the program itself asked for (a hard-coded port in use): reported, not tried again', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const fixed = (holder.address() as net.AddressInfo).port;
    try {
      const program = fault('hard-coded-port');
      const command = `FIXED_PORT=${fixed} ${(program.source as { command: string }).command}`;
      const result = await checkProgram('1', { kind: 'command', command });
      expect(result.checks[0]!.message).toMatch(/stopped before it started listening/);
      expect(result.checks[0]!.details?.explanation).toMatch(new RegExp(`listen on port ${fixed}, not on the port given in PORT .*hard-code ${fixed}\\?`));
      expect(program.groups().length, 'started once').toBe(1);
    } finally {
      holder.close();
    }
  });
});

describe('a failed check', () => {
  it("has a transcript that ends where the check ended, without the cleanup's closing of its clients", async () => {
    const program = fault('correct');
    const result = await runLesson(
      serverLesson([
        {
          id: 'fails-with-clients-open',
          name: 'fails while alice and bob are still connected',
          run: async (ctx) => {
            await Promise.all([ctx.connect('alice').send('hi'), ctx.connect('bob').send('hi')]);
            throw new CheckFailure('failed on purpose');
          },
        },
      ]),
      program.source,
    );
    const failed = result.checks.find((check) => check.id === 'fails-with-clients-open')!;
    expect(failed.status).toBe('failed');
    const transcript = failed.transcript!.join('\n');
    expect(transcript).toMatch(/alice → server/);
    expect(transcript).not.toMatch(/closed the connection/);
  });
});
