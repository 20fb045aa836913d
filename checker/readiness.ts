import net from 'node:net';
import { deadline, scaled, seconds } from './deadlines.ts';
import { CheckFailure } from './errors.ts';
import { listeningPorts } from './listening-ports.ts';
import { describeExit, type RunningProgram } from './program.ts';

export type LoopbackHost = '127.0.0.1' | '::1';

const POLL_MS = 5;
/** How often to look (in /proc) for the program listening on some other port than PORT. */
const ELSEWHERE_EVERY_MS = 100;
/** How long a program may listen elsewhere before that counts as "hard-coded the port". */
const ELSEWHERE_GRACE_MS = 500;

/**
 * A server is ready when its port accepts a TCP connection: on 127.0.0.1 or on ::1, since a
 * correct program may bind either (or both, or every interface). Resolves with the host that
 * answered. Fails with a teaching message if the program exits first or never listens.
 */
export async function waitUntilListening(program: RunningProgram, port: number): Promise<LoopbackHost> {
  const ms = deadline('start');
  const startedAt = performance.now();
  let lookedElsewhereAt = startedAt;
  let elsewhereSince: number | undefined;
  while (program.running) {
    const host = await firstAccepting(port);
    if (host) return host;
    const now = performance.now();
    if (now - startedAt > ms) throw notListening(program, port, ms);
    // A program listening on another port (and not on PORT) has hard-coded its port: say so early.
    if (now - lookedElsewhereAt > ELSEWHERE_EVERY_MS) {
      lookedElsewhereAt = now;
      const elsewhere = listeningPorts(program.pid).some((p) => p !== port);
      elsewhereSince = elsewhere ? (elsewhereSince ?? now) : undefined;
      if (elsewhereSince !== undefined && now - elsewhereSince > scaled(ELSEWHERE_GRACE_MS)) throw notListening(program, port, now - startedAt);
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, POLL_MS)), program.exited]);
  }
  throw stoppedBeforeListening(program);
}

async function firstAccepting(port: number): Promise<LoopbackHost | undefined> {
  const [v4, v6] = await Promise.all([accepts('127.0.0.1', port), accepts('::1', port)]);
  if (v4) return '127.0.0.1';
  if (v6) return '::1';
  return undefined;
}

function accepts(host: LoopbackHost, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stoppedBeforeListening(program: RunningProgram): CheckFailure {
  const stderr = program.stderr.tail(12);
  const inUse = /EADDRINUSE/.test(stderr);
  return new CheckFailure(`Your server stopped before it started listening (it exited ${describeExit(program.exitInfo!)}).`, {
    received: program.outputSummary(),
    explanation: inUse
      ? 'The port was already in use. Is the program listening twice, or on a port another program holds? Read the port from process.env.PORT.'
      : stderr
        ? 'The error above is where to look: it is what your program printed as it stopped.'
        : 'A server must keep running: create the WebSocketServer and let Node.js keep serving (no process.exit()).',
  });
}

function notListening(program: RunningProgram, port: number, ms: number): CheckFailure {
  const actual = listeningPorts(program.pid).filter((p) => p !== port);
  const mentioned = portsMentioned(program.stdout.text() + program.stderr.text()).filter((p) => p !== port);
  const elsewhere = actual[0] ?? mentioned[0];
  const explanation =
    elsewhere !== undefined
      ? `Your program is ${actual.length > 0 ? 'listening on' : 'talking about'} port ${elsewhere}. ` +
        `Did you hard-code ${elsewhere} instead of reading PORT? Use: const port = Number(process.env.PORT ?? 8080);`
      : 'Start a WebSocketServer with { port } where port comes from process.env.PORT, and keep the program running.';
  return new CheckFailure(`Nothing is listening on port ${port} (the PORT the checker gave your program) after ${seconds(ms)}.`, {
    received: program.outputSummary(),
    explanation,
  });
}

function portsMentioned(output: string): number[] {
  const ports = new Set<number>();
  for (const match of output.matchAll(/(?:port\D{0,3}|:)(\d{2,5})\b/gi)) {
    const port = Number(match[1]);
    if (port >= 80 && port < 65536) ports.add(port);
  }
  return [...ports];
}
