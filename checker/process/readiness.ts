import net from 'node:net';
import { deadline, scaled, seconds } from '../core/deadlines.ts';
import { CheckFailure } from '../core/errors.ts';
import { listeningPorts, listensOn } from './listening-ports.ts';
import { describeExit, type RunningProgram } from './program.ts';

export type LoopbackHost = '127.0.0.1' | '::1';

const POLL_MS = 5;
/**
 * When and how often to look (in /proc) for the program listening on some other port than
 * PORT. A look reads the table of every TCP socket on the machine and the state of every
 * process, milliseconds of processor time during which the checker's event loop waits; a
 * program that reads PORT is usually listening before the first look. Looking at 400, 700 and
 * 1300 ms names a hard-coded port a second or so after the start; the looks then grow further
 * apart, so that many servers starting slowly on a busy machine do not keep the checker from
 * answering (the pings of lesson 11's heartbeat checks, say).
 */
const ELSEWHERE_FIRST_MS = 400;
const ELSEWHERE_FIRST_GAP_MS = 300;
/** How long a program may listen elsewhere before that counts as "hard-coded the port". */
const ELSEWHERE_GRACE_MS = 500;

/**
 * A server is ready when its port accepts a TCP connection: on 127.0.0.1 or on ::1, since a
 * correct program may bind either (or both, or every interface); and when it is the program
 * (or something it started) that listens there, not another program on the machine that took
 * the port first (/proc tells; where it is missing, accepting is enough). Resolves with the
 * host that answered. Fails with a teaching message if the program exits first or never
 * listens, and stops waiting when `signal` aborts (its check has run out of time).
 */
export async function waitUntilListening(program: RunningProgram, port: number, signal?: AbortSignal): Promise<LoopbackHost> {
  const ms = deadline('start');
  const startedAt = performance.now();
  let nextLookAt = startedAt + ELSEWHERE_FIRST_MS;
  let lookGap = ELSEWHERE_FIRST_GAP_MS;
  let elsewhereSince: number | undefined;
  while (program.running) {
    if (signal?.aborted) throw new CheckFailure('The check ran out of time while your server was starting.');
    // A probe can hang (a full accept queue drops new connections silently), so it has a deadline too.
    const host = await firstAccepting(port, Math.max(POLL_MS, ms - (performance.now() - startedAt)));
    const someoneElse = host !== undefined && listensOn(program.pid, port) === false;
    if (host && !someoneElse) return host;
    const now = performance.now();
    if (now - startedAt > ms) throw someoneElse ? new PortTakenFailure(program, port) : notListening(program, port, ms);
    // A program listening on another port (and not on PORT) has hard-coded its port: say so early.
    if (now >= nextLookAt) {
      nextLookAt = now + lookGap;
      lookGap *= 2;
      const elsewhere = listeningPorts(program.pid).some((p) => p !== port);
      elsewhereSince = elsewhere ? (elsewhereSince ?? now) : undefined;
      if (elsewhereSince !== undefined && now - elsewhereSince > scaled(ELSEWHERE_GRACE_MS)) throw notListening(program, port, now - startedAt);
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, POLL_MS)), program.exited]);
  }
  throw stoppedBeforeListening(program, port);
}

async function firstAccepting(port: number, ms: number): Promise<LoopbackHost | undefined> {
  const [v4, v6] = await Promise.all([accepts('127.0.0.1', port, ms), accepts('::1', port, ms)]);
  if (v4) return '127.0.0.1';
  if (v6) return '::1';
  return undefined;
}

function accepts(host: LoopbackHost, port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const answer = (accepted: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(accepted);
    };
    const timer = setTimeout(() => answer(false), ms);
    socket.once('connect', () => answer(true));
    socket.once('error', () => answer(false));
  });
}

/** Another program on the machine listens on the port given to the learner's program. */
export class PortTakenFailure extends CheckFailure {
  constructor(program: RunningProgram, port: number) {
    super(`Port ${port} accepts connections, but not from your program: another program on this machine listens there.`, {
      received: program.outputSummary(),
      explanation: 'That is not your mistake: another program took the port just before yours could. Run the check again.',
    });
  }
}

function stoppedBeforeListening(program: RunningProgram, port: number): CheckFailure {
  const stderr = program.stderr.text();
  // Node.js names the port it could not bind: "listen EADDRINUSE: address already in use 127.0.0.1:8080".
  const inUse = /EADDRINUSE(?:: address already in use \S*:(\d+))?/.exec(stderr);
  const taken = Number(inUse?.[1] ?? port);
  return new CheckFailure(`Your server stopped before it started listening (it exited ${describeExit(program.exitInfo!)}).`, {
    received: program.outputSummary(),
    explanation: inUse
      ? taken !== port
        ? `It tried to listen on port ${taken}, not on the port given in PORT (${port}), and ${taken} was in use: by another program, or by another ` +
          `run of your server (the checker starts several at once). Did you hard-code ${taken}? Use: const port = Number(process.env.PORT ?? 8080);`
        : 'The port was already in use. Is the program listening twice, or on a port another program holds? Read the port from process.env.PORT.'
      : stderr
        ? 'The error above is where to look: it is what your program printed as it stopped.'
        : 'A server must keep running: create the WebSocketServer and let Node.js keep serving (no process.exit()).',
  });
}

function notListening(program: RunningProgram, port: number, ms: number): CheckFailure {
  const listening = listeningPorts(program.pid);
  if (listening.includes(port)) {
    return new CheckFailure(`Your server listens on port ${port} but did not accept a connection within ${seconds(ms)}.`, {
      received: program.outputSummary(),
      explanation:
        'Connections wait in a queue until the program accepts them, which Node.js does on its event loop. When the event loop ' +
        'is blocked (a loop that never ends, a synchronous wait), nothing is accepted and the queue fills up.',
    });
  }
  const actual = listening.filter((p) => p !== port);
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
