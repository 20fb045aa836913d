import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUpEverything } from '../checker/process/cleanup.ts';
import { findRedisServer, startRedisServer } from '../checker/process/redis-server.ts';
import { eventually, processesMentioning } from './processes.ts';
import { runCli, startCli } from './run-cli.ts';

/**
 * The checker's own redis-server (lesson 17): it answers, and nothing of it is left after it
 * stops, after a run, or after a run interrupted with Ctrl-C; without one, the lesson's checks
 * that need it are skipped with how to install it, and the others still run.
 */

const redis = findRedisServer();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'workbook-redis-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Sends PING to a Redis on `port`; its answer, or undefined when nothing answers. */
function ping(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().trim());
    });
    socket.once('error', () => resolve(undefined));
  });
}

/** How a running redis-server names itself in its command line (it rewrites it to "redis-server 127.0.0.1:port"). */
const redisAt = (port: number) => `127.0.0.1:${port}`;

/** The checker's redis-server folders that exist now. */
function redisFolders(): string[] {
  return readdirSync(os.tmpdir()).filter((name) => name.startsWith('workbook-redis-') && !name.startsWith('workbook-redis-test-'));
}

describe.skipIf('missing' in redis)("the checker's redis-server", () => {
  const executable = 'executable' in redis ? redis.executable : '';

  it('answers PING once started, persistence off, and leaves no process or folder when stopped', async () => {
    const server = await startRedisServer(executable);
    expect(await ping(server.port)).toBe('+PONG');
    const pids = processesMentioning(redisAt(server.port));
    expect(pids.length).toBe(1);
    // It runs in its temporary folder.
    const folder = readlinkSync(`/proc/${pids[0]}/cwd`);
    expect(path.basename(folder)).toMatch(/^workbook-redis-/);
    await server.stop();
    expect(processesMentioning(redisAt(server.port))).toEqual([]);
    expect(existsSync(folder)).toBe(false);
    expect(await ping(server.port)).toBeUndefined();
  });

  it('leaves nothing behind when the checker is interrupted with Ctrl-C during lesson 17', async () => {
    const before = new Set(redisFolders());
    const record = path.join(scratch, 'redis-url.txt');
    // A "server" that notes the REDIS_URL it was given and listens, so the check is under way.
    const program = path.join(scratch, 'notes-redis-url.mjs');
    writeFileSync(
      program,
      `import { appendFileSync } from 'node:fs'; import net from 'node:net';\n` +
        `appendFileSync(${JSON.stringify(record)}, process.env.REDIS_URL + '\\n');\n` +
        `net.createServer(() => {}).listen(Number(process.env.PORT), '127.0.0.1');\n`,
    );
    const cli = startCli(['check', '17', '--server', `node ${JSON.stringify(program)}`]);
    expect(await eventually(() => existsSync(record) && readFileSync(record, 'utf8').includes('\n'), 20_000)).toBe(true);
    const port = Number(/:(\d+)/.exec(readFileSync(record, 'utf8'))![1]);
    expect(processesMentioning(redisAt(port)).length).toBe(1);
    cli.child.kill('SIGINT');
    const run = await cli.done;
    expect(run.status, run.stderr).toBe(130);
    expect(processesMentioning(redisAt(port))).toEqual([]);
    expect(processesMentioning(program)).toEqual([]);
    expect(redisFolders().filter((folder) => !before.has(folder))).toEqual([]);
  }, 60_000);

  it('runs a demo in which a person on instance A and Bot on instance B chat through Redis, and leaves nothing behind', async () => {
    const before = new Set(redisFolders());
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const demo = startCli(['demo', '17', '--port', String(port)], { typing: true });
    const printed = (pattern: RegExp) => eventually(() => pattern.test(demo.stdoutSoFar()), 20_000);
    expect(await printed(/Connected to ws:\/\/localhost:\d+/), demo.stdoutSoFar()).toBe(true);
    demo.child.stdin!.write('Lea\n');
    // Bot is on B: its greeting reaches Lea on A through Redis.
    expect(await printed(/"from":"Bot","text":"Hello, Lea!/), demo.stdoutSoFar()).toBe(true);
    demo.child.stdin!.write('hello from A\n');
    // And Bot's answer shows that Lea's line reached B.
    expect(await printed(/"from":"Bot","text":"Hi, Lea!/), demo.stdoutSoFar()).toBe(true);
    const url = /sharing the Redis at redis:\/\/127\.0\.0\.1:(\d+)/.exec(demo.stdoutSoFar());
    demo.child.stdin!.end();
    const run = await demo.done;
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ {2}A │ .*listening/m);
    expect(run.stdout).toMatch(/^ {2}B │ .*listening/m);
    expect(processesMentioning(redisAt(Number(url![1])))).toEqual([]);
    expect(redisFolders().filter((folder) => !before.has(folder))).toEqual([]);
  }, 60_000);

  it("is stopped by the checker's clean-up (as on Ctrl-C), folder included", async () => {
    const server = await startRedisServer(executable);
    await cleanUpEverything();
    expect(processesMentioning(redisAt(server.port))).toEqual([]);
    expect(await ping(server.port)).toBeUndefined();
  });
});

it('without a redis-server, skips the checks that need one with how to install it, runs the others, and exits by what ran', async () => {
  const run = await runCli(['check', '17', '--solutions', '--json'], { env: { REDIS_SERVER: path.join(scratch, 'no-redis-server-here') } });
  const report = JSON.parse(run.stdout) as { lessons: { checks: { id: string; status: string; message: string }[] }[] };
  const checks = report.lessons[0]!.checks;
  const skipped = checks.filter((check) => check.status === 'skipped');
  expect(skipped.length).toBeGreaterThan(5);
  for (const check of skipped) expect(check.message).toMatch(/^No Redis checks: .*apt-get install redis-server[^\n]*$/);
  expect(checks.find((check) => check.id === 'redis-unreachable')?.status).toBe('passed');
  expect(checks.filter((check) => check.status === 'failed')).toEqual([]);
  expect(run.status, run.stderr).toBe(0);
}, 60_000);
