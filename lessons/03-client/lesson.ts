import {
  CheckFailure,
  type ClientCheckContext,
  type CloseRule,
  type Conversation,
  couldNotConnectCheck,
  defineLesson,
  describeTextChange,
  expectCleanExit,
  expectNormalClose,
  explained,
  type Message,
  type OutputLine,
  quoteText,
  runClientDemo,
  stage,
  startConversation,
} from '../../checker/lesson-api.ts';

const HELLO = 'Hello, Server!';

/**
 * The checker's reply differs on every run, so only a client that prints what arrived passes;
 * its spaces (around it and inside) and its tab are part of it, so a client that tidies it fails.
 */
function greeting(): string {
  return `  Hello, client!\tYou are  visitor number ${1000 + Math.floor(Math.random() * 9000)}.`;
}

/** Sent right after the reply: the client must not print it. */
const SECOND_MESSAGE = 'A second message, which your client does not print.';

/** The reply each run of the conversation got, for the checks that look at the output afterwards. */
const replies = new WeakMap<Conversation, string>();

function explainHello(received: Message): string {
  if (received.isBinary) return "Your client sent a binary frame: sending a Buffer sends binary. Send the string itself: ws.send('Hello, Server!').";
  if (received.text.trim() === HELLO) return 'Send exactly "Hello, Server!", with no newline or spaces around it.';
  const plain = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');
  if (plain(received.text) === plain(HELLO)) return 'Almost: send exactly "Hello, Server!", with the capital letters, the comma and the exclamation mark.';
  return 'The first message must be exactly "Hello, Server!".';
}

/** Runs the conversation up to the client's hello. */
const hello = stage(async (ctx: ClientCheckContext): Promise<Conversation> => {
  const conversation = await startConversation(ctx);
  await explained(
    conversation.connection.expectText(HELLO, { explain: explainHello }),
    "Send it as soon as the connection is open, in the 'open' listener: ws.on('open', () => ws.send('Hello, Server!')).",
  );
  return conversation;
});

/** Runs the conversation up to the client printing the checker's reply. */
const helloAndReply = stage(async (ctx: ClientCheckContext): Promise<Conversation> => {
  const conversation = await hello(ctx);
  const { connection, client } = conversation;
  const reply = greeting();
  replies.set(conversation, reply);
  await connection.send(reply).send(SECOND_MESSAGE);
  const wanted = `Received: ${reply}`;
  const printed = client.waitForLine((line) => line.stream === 'stdout' && line.text.trimEnd() === wanted, `the line ${quoteText(wanted)}`);
  await explained(
    printed,
    () =>
      explainPrintedLines(client.lines(), reply) ??
      (connection.isOpen
        ? "Print the first message in ws.once('message', (data) => ...): console.log(`Received: ${data}`)."
        : "Your client closed the connection before the reply arrived. Close it in the 'message' listener, after printing the reply."),
  );
  return conversation;
});

/** Names the mistake from what the client printed instead of "Received: <reply>". */
function explainPrintedLines(lines: OutputLine[], reply: string): string | undefined {
  const stdout = lines.filter((line) => line.stream === 'stdout');
  if (stdout.some((line) => line.text.includes('<Buffer'))) {
    return 'You printed the Buffer itself (console.log shows it as <Buffer 48 65 …>). Turn it into text first: console.log(`Received: ${data}`) or data.toString().';
  }
  const near = stdout.find((line) => line.text.includes(reply));
  if (near) return `The line must be exactly "Received: " followed by the message. Yours was ${quoteText(near.text)}.`;
  const tidied = stdout.find(
    (line) => line.text.startsWith('Received: ') && describeTextChange(reply, (changed) => line.text.trimEnd() === `Received: ${changed}`),
  );
  if (tidied) {
    return (
      `Your client ${describeTextChange(reply, (changed) => tidied.text.trimEnd() === `Received: ${changed}`)}: print the message exactly as it arrived, ` +
      'spaces and all: console.log(`Received: ${data}`).'
    );
  }
  if (lines.some((line) => line.stream === 'stderr' && line.text.includes(reply))) {
    return 'You printed it to stderr (console.error). Print it with console.log, which writes to stdout.';
  }
  const other = stdout.find((line) => line.text.startsWith('Received'));
  if (other) return `You printed ${quoteText(other.text)}, but the checker sent ${quoteText(reply)}. Print the data the 'message' listener receives.`;
  return undefined;
}

const closeAfterReply: CloseRule = {
  after: 'after printing the reply',
  stillOpen:
    "Close the connection in the 'message' listener, right after printing: ws.close(). The reply is the signal; waiting for a timer " +
    'only makes the program slow.',
  sentInstead: (text: string) =>
    text === HELLO
      ? "Your client sent \"Hello, Server!\" a second time. Send it once, in the 'open' listener (is the send also in the 'message' listener, or the 'open' listener added twice?)."
      : 'The lesson asks for exactly one message, "Hello, Server!". Close the connection without sending anything more.',
};

/** Runs the conversation up to the client closing the connection, after the reply. */
const replyAndClose = stage(async (ctx: ClientCheckContext): Promise<Conversation> => {
  const conversation = await helloAndReply(ctx);
  await expectNormalClose(conversation, closeAfterReply);
  return conversation;
});

export default defineLesson({
  kind: 'client',
  checks: [
    {
      id: 'hello',
      name: 'connects to WS_URL and sends the text message "Hello, Server!" once the connection is open',
      run: async (ctx) => {
        await hello(ctx);
      },
    },
    {
      id: 'prints-reply',
      needs: ['hello'],
      continues: true,
      name: 'prints the first message from the server as "Received: <message>"',
      run: async (ctx) => {
        await helloAndReply(ctx);
      },
    },
    {
      id: 'closes',
      needs: ['prints-reply'],
      continues: true,
      name: 'then closes the connection normally (code 1000), having sent nothing else',
      run: async (ctx) => {
        await replyAndClose(ctx);
      },
    },
    {
      id: 'exits',
      needs: ['closes'],
      continues: true,
      name: 'then exits by itself, promptly, with status 0',
      run: async (ctx) => {
        const { client } = await replyAndClose(ctx);
        await expectCleanExit(client, 'once the connection has closed');
      },
    },
    {
      id: 'first-only',
      needs: ['exits'],
      continues: true,
      name: 'prints the first message once, and no later message (the checker sent a second one right after it)',
      run: async (ctx) => {
        const conversation = await replyAndClose(ctx);
        // It has exited (the check before this one saw to that), so everything it printed is in.
        const stdout = conversation.client.lines('stdout');
        const wanted = `Received: ${replies.get(conversation)}`;
        const second = stdout.find((line) => line.text.includes(SECOND_MESSAGE));
        if (second) {
          throw new CheckFailure('Your client printed the second message too. It prints the first message only.', {
            expected: `only ${quoteText(wanted)}`,
            received: `also ${quoteText(second.text)}`,
            explanation:
              "Listen with ws.once('message', ...), which hears the first message only. An ws.on('message', ...) listener also hears " +
              'every message that arrives while the close handshake is under way.',
          });
        }
        const printed = stdout.filter((line) => line.text.trimEnd() === wanted).length;
        if (printed !== 1) {
          throw new CheckFailure(`Your client printed ${quoteText(wanted)} ${printed} times. It prints it once.`, {
            expected: `${quoteText(wanted)} once`,
            received: `${printed} times`,
            explanation: "Print it in one place: the 'message' listener. Is that listener added twice, or the line printed again when the connection closes?",
          });
        }
      },
    },
    couldNotConnectCheck(),
  ],
  hints: [
    "Create the connection with new WebSocket(url), where url is process.env.WS_URL ?? 'ws://localhost:8080'. The rest is listeners on it: 'open', 'message', 'error'.",
    "Send from the 'open' listener: ws.on('open', () => ws.send('Hello, Server!')). Before the connection is open, ws.send() throws.",
    "Listen with ws.once('message', (data) => { ... }). data is a Buffer: print it with console.log(`Received: ${data}`), then call ws.close().",
    'Do not call process.exit(). After ws.close() the close handshake completes, nothing is left for Node.js to wait for, and the program ends by itself with status 0.',
    "Add ws.on('error', (error) => { console.error(`Could not connect to ${url}: ${error.message}`); process.exitCode = 1; }). Without it, a refused connection crashes with a stack trace.",
  ],
  demo: (port) =>
    runClientDemo({
      client: '03',
      server: '01',
      port,
      intro: "The client says hello, prints the echo server's reply and closes; the demo ends with it.",
    }),
});
