import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../checker/core/paths.ts';
import { compileProgram } from '../checker/process/compile.ts';
import type { CheckResult, LessonResult } from '../checker/running/results.ts';
import { TYPE_CHECK } from '../checker/running/type-check-result.ts';
import { checkProgram, failures, runCommand } from './helpers.ts';
import { copyWorkbook } from './workbook-copy.ts';

/**
 * Learner programs are compiled ahead and started with plain node (DESIGN rule 1): they must
 * behave as under tsx, the cache must never serve a stale build, and a program that does not
 * compile or that crashes must be reported in the learner's terms.
 */
const fixtures = path.join(projectRoot, 'test', 'fixtures', 'as-under-tsx');
const server = path.join(fixtures, 'server.ts');

/** The first line a program prints, started with these Node.js arguments; the program is stopped then. */
function firstLine(args: string[]): Promise<string> {
  const child = spawn(process.execPath, args, { cwd: fixtures, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      child.kill();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`exited with status ${code} before printing:\n${stderr}`)));
  });
}

describe('a compiled program runs as under tsx', () => {
  it("sees the same import.meta (its own and its imports'), process.argv[1] and files beside it", async () => {
    const underTsx = await firstLine(['--import', 'tsx', server]);
    const { script } = await compileProgram(server);
    expect(script).not.toBe(server);
    expect(await firstLine(['--enable-source-maps', script])).toBe(underTsx);
    expect(JSON.parse(underTsx)).toMatchObject({ dirname: fixtures, argv1: server, helper: { dirname: fixtures }, readsItself: true });
  });

  it('passes lesson 01 when its replies depend on them', async () => {
    const result = await checkProgram('1', server);
    expect(result.status, failures(result)).toBe('passed');
  });
});

describe('the compile cache', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'workbook-compile-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('compiles nothing for unchanged files, and makes a new build when any file of the program changes', async () => {
    const main = path.join(folder, 'main.ts');
    const word = path.join(folder, 'word.ts');
    // ws resolves from the workbook, wherever the program is.
    writeFileSync(main, "import { WebSocket } from 'ws';\nimport { word } from './word.ts';\nconsole.log(`${typeof WebSocket} ${word}`);\n");
    writeFileSync(word, "export const word: string = 'first';\n");
    const first = await compileProgram(main);
    expect(await firstLine([first.script])).toBe('function first');

    const again = await compileProgram(main);
    expect(again.script).toBe(first.script);
    expect(statSync(again.script).mtimeMs, 'the build was not made again').toBe(statSync(first.script).mtimeMs);

    // Same size, and likely the same second: only the content tells the change.
    writeFileSync(word, "export const word: string = 'other';\n");
    const changed = await compileProgram(main);
    expect(changed.script).not.toBe(first.script);
    expect(await firstLine([changed.script])).toBe('function other');

    writeFileSync(word, "export const word: string = 'first';\n");
    expect((await compileProgram(main)).script, 'the first content has its build already').toBe(first.script);
  });

  it('gives redis from one file of its own, with the named and default exports an import gives', async () => {
    const main = path.join(folder, 'redis-user.ts');
    writeFileSync(
      main,
      "import redis, { createClient } from 'redis';\nimport { createRequire } from 'node:module';\n" +
        'const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => /redis/.test(file));\n' +
        'console.log(JSON.stringify({ createClient: typeof createClient, same: redis.createClient === createClient, loaded }));\n',
    );
    const { script } = await compileProgram(main);
    const seen = JSON.parse(await firstLine([script])) as { createClient: string; same: boolean; loaded: string[] };
    expect(seen).toMatchObject({ createClient: 'function', same: true });
    expect(seen.loaded, 'one file, not the hundreds of modules of the package').toHaveLength(1);
    expect(seen.loaded[0]).toMatch(/\.cjs$/);
  });

  it('refuses a name that ws does not export, as Node.js refuses to link it', async () => {
    const main = path.join(folder, 'wrong-name.ts');
    writeFileSync(main, "import { Server } from 'ws';\nconsole.log(Server);\n");
    await expect(compileProgram(main)).rejects.toThrow(/wrong-name\.ts:1:10: No matching export in "ws" for import "Server"/);
  });

  it('refuses a name that redis does not export too', async () => {
    const main = path.join(folder, 'wrong-redis-name.ts');
    writeFileSync(main, "import { createRedis } from 'redis';\nconsole.log(createRedis);\n");
    await expect(compileProgram(main)).rejects.toThrow(/wrong-redis-name\.ts:1:10: No matching export in "redis" for import "createRedis"/);
  });
});

describe("in the learner's terms", () => {
  let workbook: ReturnType<typeof copyWorkbook>;
  const exercise = (folder: string, file: string) => path.join(workbook.root, 'exercises', folder, file);
  const checkJson = (lesson: string): LessonResult => {
    const run = runCommand(['check', lesson, '--json'], { root: workbook.root });
    expect(run.status, run.stderr).toBe(1);
    return (JSON.parse(run.stdout) as { lessons: LessonResult[] }).lessons[0]!;
  };
  /** The behaviour checks after the first (the type check is one of its own, and reports the same error). */
  const behaviourAfterFirst = (lesson: LessonResult) => lesson.checks.slice(1).filter((check) => check.id !== TYPE_CHECK.id);
  const firstFrame = (check: CheckResult) => `${check.details?.received ?? ''}`.split('\n').find((line) => /^\s+at /.test(line));

  beforeAll(() => {
    workbook = copyWorkbook();
  });
  afterAll(() => workbook.remove());

  it('a syntax error fails the first check with a code frame: file:line:column, the message, the line and a caret', () => {
    const file = exercise('01-echo', 'server.ts');
    const lines = readFileSync(file, 'utf8').split('\n');
    // A letter of two bytes before the error: the column counts characters.
    lines.splice(4, 0, "const greeting = (`Écho: ${'x'}`;");
    writeFileSync(file, lines.join('\n'));
    const lesson = checkJson('1');
    const first = lesson.checks[0];
    expect(first).toMatchObject({ id: 'starts', status: 'failed' });
    expect(first!.message).toContain(
      ['exercises/01-echo/server.ts:5:33: Expected ")" but found ";"', "  5 | const greeting = (`Écho: ${'x'}`;", `    | ${' '.repeat(32)}^`].join('\n'),
    );
    expect(JSON.stringify(lesson)).not.toMatch(/node_modules|esbuild|node:internal/);
    expect(behaviourAfterFirst(lesson).every((check) => check.status === 'skipped')).toBe(true);

    const text = runCommand(['check', '1'], { root: workbook.root });
    expect(text.stdout).toMatch(/^ {6}exercises\/01-echo\/server\.ts:5:33: Expected "\)" but found ";"$/m);
    expect(text.stdout + text.stderr).not.toMatch(/node_modules|esbuild|node:internal/);
  });

  it('so does a client program that does not compile', () => {
    writeFileSync(exercise('03-client', 'client.ts'), "import WebSocket from 'ws';\nconst socket = new WebSocket(process.env.WS_URL!;\n");
    const lesson = checkJson('3');
    expect(lesson.checks[0]!.status).toBe('failed');
    expect(lesson.checks[0]!.message).toContain('exercises/03-client/client.ts:2:49: Expected ")" but found ";"');
    expect(behaviourAfterFirst(lesson).every((check) => check.status === 'skipped')).toBe(true);
  });

  it("a crash shows the learner's file and line as the first frame", () => {
    writeFileSync(
      exercise('01-echo', 'server.ts'),
      [
        "import { WebSocketServer } from 'ws';",
        "const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT) });",
        "wss.on('connection', (socket) => {",
        "  socket.on('message', (data) => {",
        '    throw new Error(`cannot answer ${data}`);',
        '  });',
        '});',
        '',
      ].join('\n'),
    );
    const replies = checkJson('1').checks.find((check) => check.id === 'replies')!;
    expect(replies.status).toBe('failed');
    expect(firstFrame(replies)).toMatch(/exercises\/01-echo\/server\.ts:5:11\)$/);
  });
});
