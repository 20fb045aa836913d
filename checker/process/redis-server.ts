import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deadline, seconds } from '../core/deadlines.ts';
import { removeTempPath, trackGroup, trackTempPath, untrackGroup } from './cleanup.ts';
import { allocatePort, releasePort } from './ports.ts';
import { stopGroup } from './process-group.ts';

/**
 * A redis-server of the checker's own, for the lesson whose servers share a Redis (17): on a
 * free loopback port, persistence off, its working folder a temporary one, in its own process
 * group, registered with cleanup.ts, so that nothing of it outlives the run, Ctrl-C included.
 */
const REDIS_SERVER_VARIABLE = 'REDIS_SERVER';

const HOW_TO_INSTALL = `Install it (Debian: sudo apt-get install redis-server) or set ${REDIS_SERVER_VARIABLE} to a redis-server executable.`;

/** The redis-server to run: REDIS_SERVER when set, else the first on PATH; or why there is none. */
export function findRedisServer(): { executable: string } | { missing: string } {
  const configured = process.env[REDIS_SERVER_VARIABLE];
  if (configured) {
    return existsSync(configured)
      ? { executable: configured }
      : { missing: `No Redis checks: ${REDIS_SERVER_VARIABLE} is ${configured}, which does not exist. ${HOW_TO_INSTALL}` };
  }
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((folder) => path.join(folder, 'redis-server'));
  const executable = onPath.find(isExecutable);
  return executable ? { executable } : { missing: `No Redis checks: no redis-server on PATH. ${HOW_TO_INSTALL}` };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface RedisServer {
  /** redis://127.0.0.1:<port>, for REDIS_URL. */
  readonly url: string;
  readonly port: number;
  /** Stops it and removes its folder; resolves once it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts `executable` and resolves once it answers PING. Rejects with a one-line reason when it
 * exits first or does not answer in time (and leaves nothing behind).
 */
export async function startRedisServer(executable: string): Promise<RedisServer> {
  const port = await allocatePort();
  const folder = mkdtempSync(path.join(tmpdir(), 'workbook-redis-'));
  trackTempPath(folder);
  const child = spawn(
    executable,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder, '--daemonize', 'no', '--logfile', ''],
    { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const pgid = child.pid ?? -1;
  if (child.pid !== undefined) trackGroup(pgid);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2_000)));
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`it exited (${signal ?? `code ${code}`})`));
    child.once('error', (error) => resolve(error.message));
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (pgid > 0) await stopGroup(pgid, deadline('killGrace'));
      untrackGroup(pgid);
      removeTempPath(folder);
      releasePort(port);
    })();
    return stopped;
  };
  const ms = deadline('start');
  const why = await Promise.race([answersPing(port, ms).then((answered) => (answered ? undefined : `it did not answer PING within ${seconds(ms)}`)), exited]);
  if (why !== undefined) {
    await stop();
    const detail = stderr.trim().split('\n').at(-1);
    throw new Error(`The checker's redis-server (${executable}) could not start: ${why}${detail ? ` (${detail})` : ''}.`);
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

/** Sends PING until the server at `port` answers +PONG, for up to `ms`; whether it did. */
async function answersPing(port: number, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  let pause = 2;
  while (performance.now() < until) {
    if (await pingOnce(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 20);
  }
  return false;
}

function pingOnce(port: number): Promise<boolean> {
  return inlineCommand(port, 'PING', '+PONG');
}

/**
 * Holds every client of the Redis at `url` still for `ms` (CLIENT PAUSE … ALL): their commands
 * wait, then run in the order they arrived. Lets a check make commands from several programs
 * meet at once, as they would on a busy server. Resolves with whether Redis agreed.
 */
export function pauseRedisClients(url: string, ms: number): Promise<boolean> {
  return inlineCommand(Number(new URL(url).port), `CLIENT PAUSE ${Math.round(ms)} ALL`, '+OK');
}

/** Sends one inline command to the Redis on `port`; whether its reply starts with `expected`. */
function inlineCommand(port: number, command: string, expected: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (data) => {
      reply += data.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith(expected));
    });
    socket.once('close', () => done(false));
  });
}
