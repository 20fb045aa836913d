import type { ClientCheckContext } from '../running/check-context.ts';
import { deadline, scaled, seconds, settlesWithin, withDeadline } from '../core/deadlines.ts';
import { CheckFailure, explained } from '../core/errors.ts';
import { explain, explainCrash } from '../core/explanations.ts';
import type { ClientCheck } from '../running/lesson-definition.ts';
import { describeExit, type OutputLine, type RunningProgram } from '../process/program.ts';
import type { ScriptedServer, ServerConnection } from '../peers/scripted-server.ts';
import { describeFrame, quoteText } from '../core/transcript.ts';

/**
 * What the checks of client lessons (03, 07) share: starting the learner's client against the
 * checker's server, and the rules for how a client ends: a normal close, a prompt exit with
 * status 0, and a readable "Could not connect" when nothing listens.
 */

/**
 * How long a client may take to close or exit once it has every reason to. A correct client
 * needs a few milliseconds, so this is generous on a busy machine, and still catches a client
 * that waits for a timer instead of acting on the event.
 */
const PROMPTLY_MS = 1_000;

/** One run of the learner's client, connected to a scripted server. */
export interface Conversation {
  server: ScriptedServer;
  client: RunningProgram;
  /** The checker's end of the client's connection. */
  connection: ServerConnection;
}

/**
 * A step of a client run that checks build on, done once per run: a check that continues the
 * run of the check before it (see `continues` in lesson-api.ts) gets the step's result from that
 * check; a check with a run of its own does the step itself.
 */
export function stage<T>(step: (ctx: ClientCheckContext) => Promise<T>): (ctx: ClientCheckContext) => Promise<T> {
  const done = new WeakMap<ClientCheckContext, Promise<T>>();
  return (ctx) => {
    let result = done.get(ctx);
    if (!result) {
      result = step(ctx);
      done.set(ctx, result);
    }
    return result;
  };
}

/**
 * Starts a scripted server, the learner's client with WS_URL pointing at it, and waits for its
 * connection. `atStart` runs as soon as the client is started, before it can have connected
 * (to type on its standard input at once, as a file piped into it would).
 */
export async function startConversation(ctx: ClientCheckContext, atStart?: (client: RunningProgram) => void): Promise<Conversation> {
  const server = await ctx.startServer();
  const client = ctx.launch(server.url);
  atStart?.(client);
  const { connection } = await server.nextConnection();
  return { server, client, connection };
}

export interface CloseRule {
  /** When the close is due, completing "Your client should close the connection …": "after printing the reply". */
  after: string;
  /** Why a client stays open at that moment, and how to fix it. */
  stillOpen: string;
  /** Names the mistake when the client sent another message instead of closing. */
  sentInstead?: (text: string) => string | undefined;
}

/**
 * The next thing the client does must be closing the connection normally (1000, or no code:
 * 1005), with no message sent before it. The close frame follows every message sent before
 * it, so once the connection has closed, anything unread was sent first: that proves "nothing
 * more" by ordering, not by waiting.
 */
export async function expectNormalClose({ connection, client }: Conversation, rule: CloseRule): Promise<void> {
  await connection;
  const ms = scaled(PROMPTLY_MS);
  const info = await connection.closure(ms).catch(() => {
    throw new CheckFailure(`Your client should close the connection ${rule.after}, but it was still open ${seconds(ms)} later.`, {
      expected: 'a close frame with code 1000',
      received: describeSent(connection) ?? 'nothing',
      explanation: sentInsteadExplanation(connection, rule) ?? rule.stillOpen,
    });
  });
  const extra = describeSent(connection);
  if (extra) {
    throw new CheckFailure(`Your client sent another message ${rule.after}, before it closed. It should close, and send nothing more.`, {
      expected: 'the close frame, with no message before it',
      received: extra,
      explanation: sentInsteadExplanation(connection, rule),
    });
  }
  if (info.code === 1006) {
    // The connection ended without a close frame: the usual reason is that the program exited.
    await settlesWithin(client.exited, scaled(500));
    throw new CheckFailure(`Your client ended the connection ${rule.after} without a close frame (the checker saw code 1006).`, {
      expected: 'a close frame with code 1000',
      received: client.running ? 'the TCP connection dropped, with no close frame' : `no close frame; your client exited ${describeExit(client.exitInfo!)}`,
      explanation: client.running
        ? 'ws.terminate() drops the connection without the close handshake. Use ws.close() to close normally.'
        : explain.exitBeforeClose,
    });
  }
  if (info.code !== 1000 && info.code !== 1005) {
    throw new CheckFailure(`Your client closed the connection with code ${info.code}. A normal close uses code 1000.`, {
      expected: 'a close frame with code 1000',
      received: `close with code ${info.code}${info.reason ? ` and reason ${quoteText(info.reason)}` : ''}`,
      explanation: 'Call ws.close() or ws.close(1000). Other codes say something went wrong: 1001 is "going away", 4000 and up are for applications.',
    });
  }
}

function describeSent(connection: ServerConnection): string | undefined {
  const unread = connection.unread();
  if (unread.length === 0) return undefined;
  const first = describeFrame(unread[0]!.data, unread[0]!.isBinary);
  return unread.length === 1 ? first : `${first} and ${unread.length - 1} more message(s)`;
}

function sentInsteadExplanation(connection: ServerConnection, rule: CloseRule): string | undefined {
  const first = connection.unread()[0];
  return first && !first.isBinary ? rule.sentInstead?.(first.text) : undefined;
}

/** The client must exit by itself, promptly, with status 0. */
export async function expectCleanExit(client: RunningProgram, after: string, stillRunning?: string): Promise<void> {
  const ms = scaled(PROMPTLY_MS);
  const exit = await withDeadline(
    client.exited,
    ms,
    () =>
      new CheckFailure(`Your client should exit by itself ${after}, but it was still running ${seconds(ms)} later.`, {
        received: client.outputSummary(),
        explanation:
          stillRunning ??
          'Once the connection has closed, nothing should keep Node.js running: no timer (setTimeout, setInterval), no readline ' +
            'interface still reading standard input (call rl.close()). Then the program ends by itself.',
      }),
  );
  if (exit.code === 0) return;
  throw new CheckFailure(`Your client exited ${describeExit(exit)} ${after}. A client that ends normally exits with status 0.`, {
    expected: 'exit status 0',
    received: client.outputSummary(),
    explanation:
      explainCrash(client.stderr.text()) ??
      'Set process.exitCode = 1 only when something went wrong (like a failed connection), and let the program end by itself.',
  });
}

/**
 * Waits for a line on stdout that ends with `text` (a prompt before it is fine), from line
 * `from` on, and returns its index among the client's lines. When none comes, says why it
 * likely did not: printed without a newline, a Buffer printed, stderr instead of stdout, or
 * else `otherwise` (by default: the client was kept from printing while it waited for input).
 */
export async function expectPrinted(client: RunningProgram, text: string, from = 0, otherwise: string = explain.blockedOnInput): Promise<number> {
  const printed = client.waitForLine((line) => line.stream === 'stdout' && line.text.trimEnd().endsWith(text), `the line ${quoteText(text)}`, { from });
  const line = await explained(printed, () => explainMissingLine(client, text) ?? otherwise);
  // Read the lines once it has arrived: a copy taken before would not hold it.
  return client.lines().indexOf(line, from);
}

function explainMissingLine(client: RunningProgram, text: string): string | undefined {
  const lines = client.lines();
  if (client.stdout.text().includes(text)) {
    return 'The message was printed, but not on a line of its own. Print each message with console.log, which ends the line.';
  }
  if (lines.some((line) => line.stream === 'stdout' && line.text.includes('<Buffer'))) {
    return 'You printed the Buffer itself (<Buffer 5b 53 …>). Turn it into text first: console.log(data.toString()) or console.log(`${data}`).';
  }
  if (lines.some((line) => line.stream === 'stderr' && line.text.includes(text))) {
    return 'You printed the message to stderr (console.error). Chat messages go to stdout: console.log.';
  }
  return undefined;
}

/** A stack frame as Node.js prints it ("    at main (file.ts:3:9)"). */
const STACK_FRAME = /^\s+at \S/;

/** Lesson 03's rule, which lesson 07 repeats: nothing listens at WS_URL. */
export function couldNotConnectCheck(): ClientCheck {
  return {
    id: 'could-not-connect',
    name: 'prints "Could not connect" to stderr, no stack trace, and exits non-zero when nothing listens at WS_URL',
    run: async (ctx) => {
      const url = await ctx.unusedUrl();
      ctx.note(`nothing listens at ${url}: the connection will be refused`);
      const client = ctx.launch(url);
      const ms = deadline('start');
      const exit = await withDeadline(
        client.exited,
        ms,
        () =>
          new CheckFailure(`Your client could not connect to ${url}, so it should say so and exit, but it was still running after ${seconds(ms)}.`, {
            received: client.outputSummary(),
            explanation:
              "A connection that fails gives an 'error' event, then a 'close' event. After that nothing may keep Node.js " +
              'running: no timer, and no readline interface reading standard input (create it once the connection is open, ' +
              "or close it in the 'close' handler).",
          }),
      );
      const lines = client.lines();
      const complaint = lines.find((line) => line.stream === 'stderr' && line.text.includes('Could not connect'));
      if (lines.some((line) => STACK_FRAME.test(line.text))) {
        throw new CheckFailure('Your client printed a stack trace when it could not connect. A user should read one clear line instead.', {
          expected: 'a line containing "Could not connect" on stderr, and no stack trace',
          received: client.outputSummary(),
          explanation: complaint ? explain.errorObjectPrinted : (explainCrash(client.stderr.text()) ?? explain.clientErrorListener),
        });
      }
      if (!complaint) throw missingComplaint(url, lines);
      if (exit.code === 0) {
        throw new CheckFailure('Your client exited with status 0 after it could not connect. A failure exits with a non-zero status.', {
          expected: 'a non-zero exit status (1)',
          received: `exit status 0, after printing ${quoteText(complaint.text)}`,
          explanation:
            "Set process.exitCode = 1 in the 'error' listener: scripts and shells read the exit status to know it failed. " +
            "(Is a 'close' listener setting it back to 0? A failed connection emits 'close' too.)",
        });
      }
    },
  };
}

function missingComplaint(url: string, lines: OutputLine[]): CheckFailure {
  const elsewhere = lines.find((line) => /could not connect/i.test(line.text));
  const received =
    lines.length > 0
      ? lines
          .slice(-4)
          .map((line) => `${line.stream}: ${line.text}`)
          .join('\n')
      : 'no output at all';
  let explanation = "In ws.on('error', (error) => ...), print it with console.error(`Could not connect to ${url}: ${error.message}`).";
  if (elsewhere?.stream === 'stdout') explanation = 'You printed it with console.log, which writes to stdout. Error messages go to stderr: use console.error.';
  else if (elsewhere) explanation = 'Write it exactly so: "Could not connect", with a capital C.';
  return new CheckFailure(`Your client did not print a line containing "Could not connect" to stderr when nothing listened at ${url}.`, {
    expected: 'a line containing "Could not connect" on stderr',
    received,
    explanation,
  });
}
