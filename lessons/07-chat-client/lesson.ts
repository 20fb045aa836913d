import {
  CheckFailure,
  chatText,
  type ClientCheckContext,
  type CloseRule,
  type Conversation,
  couldNotConnectCheck,
  defineLesson,
  describeTextChange,
  expectCleanExit,
  expectNormalClose,
  explain,
  explained,
  expectPrinted,
  type Message,
  quoteText,
  runClientDemo,
  type RunningProgram,
  stage,
  startConversation,
} from '../../checker/lesson-api.ts';

/**
 * The checker plays the lesson 06 chat server, and types as Alice on the client's standard
 * input. What the server says looks like the real chat, so a transcript reads like one.
 */
const NAME = 'Alice';
const WELCOME = chatText.welcome(NAME);

function explainSentLine(typed: string, lines: string[]) {
  return (received: Message): string => {
    if (received.isBinary) return 'Your client sent a binary frame. Send the line as a string: ws.send(line).';
    if (received.text.replace(/\r?\n$/, '') === typed) return "Send the line without its newline. readline's 'line' event gives it to you without one.";
    if (received.text === '') return "Your client sent an empty line as an empty message. Skip empty lines: if (line.trim() === '') return;";
    if (lines.length > 1 && received.text.includes('\n')) {
      return (
        'Lines that arrived together were sent as one message. Standard input comes in chunks, and one chunk may hold several ' +
        "lines (a paste, or a file piped in): let readline split it, createInterface({ input: process.stdin }).on('line', ...)."
      );
    }
    const change = describeTextChange(typed, (changed) => changed === received.text);
    if (change) return `Your client ${change}. Send each non-empty line exactly as it was typed: ws.send(line).`;
    return `The checker typed ${quoteText(typed)}. Send each line exactly as it was typed: ws.send(line).`;
  };
}

/** The checker's server waits for the line `typed` (one of the `lines` typed together) as the client's next message. */
function expectTyped(connection: Conversation['connection'], typed: string, lines = [typed]) {
  return connection.expectText(typed, { explain: explainSentLine(typed, lines) });
}

/** Lines a client must send exactly as typed: spaces around and inside, other capitals of /quit, /quit with more on the line, HTML-looking text. */
const AWKWARD_LINES = ['  spaces around,  and  inside  ', '/QUIT', ' /quit', '/quit now', '<b>bold</b> & more'];

/** What a file piped into the client holds: the name, an empty line, two messages. It ends at once. */
const PIPED_LINES = [NAME, '', 'Hello from a pipe', '  the second line, indented'];

const lostEarlyLines =
  'These lines were there from the start, before the connection was open (a file piped in: client.ts < lines.txt), and your ' +
  "client lost them. Read standard input once the connection is open (create the readline interface in the 'open' handler: " +
  'lines wait in standard input until then), or keep early lines and send them when it opens.';
const gaveUpEarly =
  'The input ended at once (a piped file ends as soon as it is read), before the connection was open, and your client gave up ' +
  'instead of connecting: ws.close() on a connection that is still opening abandons it. Close at the end of input only once ' +
  "the connection is open and every line has been sent: creating the readline interface in the 'open' handler does that.";

/**
 * Starts the client and joins the chat as Alice: the name typed is the first message, and the
 * server answers with its welcome (as lesson 06's server does).
 */
const join = stage(async (ctx: ClientCheckContext): Promise<Conversation> => {
  const conversation = await startConversation(ctx);
  const { connection, client } = conversation;
  ctx.note("the checker plays the lesson 06 chat server and types on your client's standard input");
  // The pong proves the client's WebSocket is open, so a line typed now can be sent.
  await explained(connection.ping(), explain.blockedEventLoop);
  client.writeLine(NAME);
  await explained(
    expectTyped(connection, NAME),
    "Read standard input with readline (createInterface({ input: process.stdin })) and send every line: rl.on('line', (line) => ws.send(line)).",
  );
  await connection.send(WELCOME);
  return conversation;
});

const quitRule: CloseRule = {
  after: 'after the line /quit',
  stillOpen: "The line /quit means: leave the chat. Check for it before sending: if (line === '/quit') { rl.close(); ws.close(); }",
  sentInstead: (text) =>
    text === '/quit'
      ? 'Your client sent /quit to the server as a chat message. /quit is a command for your client: check for it before sending, and close the connection instead.'
      : undefined,
};

const endOfInputRule: CloseRule = {
  after: 'at the end of its input',
  stillOpen:
    "When standard input ends (Ctrl-D in a terminal, or the end of a piped file), readline emits 'close'. Close the connection then: " +
    "rl.on('close', () => ws.close()).",
};

export default defineLesson({
  kind: 'client',
  checks: [
    {
      id: 'sends-lines',
      name: 'sends every line typed as one text message, the name first, also lines that arrive together',
      run: async (ctx) => {
        const { connection, client } = await join(ctx);
        const lines = ['Hello everyone!', 'How is everybody doing? 👋'];
        client.writeLines(lines);
        for (const line of lines) {
          await explained(
            expectTyped(connection, line, lines),
            'Nothing arrived although the line was typed. Send each line as soon as it is read: in a chat, an answer may come much later or never, so never wait for one before reading on.',
          );
        }
      },
    },
    {
      id: 'sends-as-typed',
      needs: ['sends-lines'],
      continues: true,
      name: 'sends each line exactly as typed: spaces kept, and /QUIT, " /quit" or "/quit now" are chat lines',
      run: async (ctx) => {
        const { connection, client } = await join(ctx);
        for (const line of AWKWARD_LINES) {
          client.writeLine(line);
          await explained(expectTyped(connection, line), (failure) =>
            /closed first/.test(failure.message)
              ? `Your client left on ${quoteText(line)}. Only the line /quit, exactly and nothing else, means leaving: compare line === '/quit' ` +
                '(no trim(), no toLowerCase()); any other line is a chat line, sent as it is.'
              : undefined,
          );
        }
      },
    },
    {
      id: 'skips-empty-lines',
      needs: ['sends-lines'],
      continues: true,
      name: 'does not send empty lines',
      run: async (ctx) => {
        const { connection, client } = await join(ctx);
        ctx.note('two empty lines, then a message: the next message must be the next non-empty line');
        client.writeLine('');
        client.writeLine('');
        client.writeLine('Is anyone there?');
        await expectTyped(connection, 'Is anyone there?');
      },
    },
    {
      id: 'prints-messages',
      continues: true,
      name: 'prints every message from the server on its own line as it arrives, also while waiting for input',
      run: async (ctx) => {
        const { connection, client } = await join(ctx);
        const welcomed = await expectPrinted(client, WELCOME);
        ctx.note('nothing more is typed: your client is waiting for input while these messages arrive');
        const joined = chatText.joined('Bob');
        const said = '[Bob]:   Hi Alice! <b>😀</b>';
        const last = chatText.left('Bob');
        await connection.send(joined).send(said).send(last);
        const at = await expectPrinted(client, joined, welcomed + 1);
        const lastAt = await expectPrinted(client, last, (await expectPrinted(client, said, at + 1)) + 1);
        // The messages are printed in the order they arrive, so a second copy of one would come before the last one.
        const between = client.lines().slice(welcomed, lastAt + 1);
        for (const text of [WELCOME, joined, said]) {
          const times = between.filter((line) => line.stream === 'stdout' && line.text.trimEnd().endsWith(text)).length;
          if (times > 1) {
            throw new CheckFailure(`Your client printed ${quoteText(text)} ${times} times. Each message is printed once.`, {
              expected: `${quoteText(text)} once`,
              received: between.map((line) => line.text).join('\n'),
              explanation: "Print each message in one place, ws.on('message', ...), added once: not in a second listener too, nor again when a line is typed.",
            });
          }
        }
      },
    },
    {
      id: 'quit-command',
      needs: ['sends-lines'],
      continues: true,
      name: 'on the line /quit, closes normally (1000) and exits with status 0',
      run: async (ctx) => {
        const conversation = await join(ctx);
        conversation.client.writeLine('/quit');
        await expectNormalClose(conversation, quitRule);
        // A terminal stops being read after rl.close() wherever it is called; a pipe, like this
        // one, does not when rl.close() runs inside a 'line' listener. Ending it after the close
        // keeps the check as fair as a terminal (README, "Why the checker ends the input").
        ctx.note('your client closed the connection after /quit; the checker now ends its input, as a script piped in would');
        conversation.client.endInput();
        await expectCleanExit(conversation.client, 'after /quit');
      },
    },
    {
      id: 'server-closes',
      needs: ['sends-lines'],
      name: 'when the server closes the connection, prints "Disconnected" and exits with status 0',
      run: async (ctx) => {
        const { connection, client } = await join(ctx);
        ctx.note('the server shuts down: it closes the connection with 1001 (going away)');
        await connection.close(1001, 'Server shutting down');
        await explained(
          client.waitForLine((line) => line.text.includes('Disconnected'), 'a line containing "Disconnected"'),
          "Listen for the connection closing, ws.on('close', ...), and tell the user: console.log('Disconnected from the server.').",
        );
        await expectCleanExit(
          client,
          'after the server closed the connection',
          "The connection is closed, but something keeps your program running: most likely the readline interface, still reading standard input. Call rl.close() in ws.on('close', ...).",
        );
      },
    },
    {
      id: 'end-of-input',
      needs: ['sends-lines'],
      name: 'with its input piped in (there before the connection opens, then ended): sends every line, then closes normally (1000) and exits with status 0',
      run: async (ctx) => {
        ctx.note(`your client starts with its standard input already holding ${PIPED_LINES.length} lines and then ending, as with: client.ts < lines.txt`);
        let client: RunningProgram | undefined;
        const steps = async () => {
          const conversation = await startConversation(ctx, (started) => {
            client = started;
            started.writeLines(PIPED_LINES);
            started.endInput();
          });
          const sent = PIPED_LINES.filter((line) => line !== '');
          for (const line of sent) {
            await explained(expectTyped(conversation.connection, line, sent), (failure) =>
              /closed first/.test(failure.message) || failure.details.received === 'nothing' ? lostEarlyLines : undefined,
            );
          }
          await expectNormalClose(conversation, endOfInputRule);
          await expectCleanExit(conversation.client, 'after the end of its input');
        };
        await steps().catch((failure: unknown) => {
          // ws reports a close() called while the connection is still opening with this error.
          if (failure instanceof CheckFailure && client?.stderr.text().includes('closed before the connection was established')) {
            throw new CheckFailure(failure.message, { ...failure.details, explanation: gaveUpEarly });
          }
          throw failure;
        });
      },
    },
    couldNotConnectCheck(),
  ],
  hints: [
    "Two things happen independently: lines arrive on standard input, messages arrive on the WebSocket. Give each its own listener: rl.on('line', ...) and ws.on('message', ...).",
    "Create the readline interface once the connection is open: ws.on('open', () => { const rl = createInterface({ input: process.stdin }); ... }). Lines typed earlier wait in standard input until then.",
    "In rl.on('line', (line) => ...): skip empty lines, treat '/quit' as leaving (rl.close()), and ws.send(line) everything else.",
    "Print every message in ws.on('message', (data) => console.log(data.toString())). Never wait for a reply after sending a line: in a chat, answers come whenever they come.",
    "rl.on('close', () => ws.close()) covers both /quit and Ctrl-D. ws.on('close', () => { console.log('Disconnected.'); rl.close(); }) covers the server leaving. Then nothing keeps Node.js running and it exits with status 0.",
    "The failed connection is lesson 03's: ws.on('error', ...) prints \"Could not connect …\" with console.error and sets process.exitCode = 1.",
  ],
  demo: (port) =>
    runClientDemo({
      client: '07',
      server: '06',
      port,
      typing: true,
      intro:
        `Type your name and press Enter, then chat; /quit or Ctrl-D leaves. ` +
        `In another terminal, \`npm run client -- ws://localhost:${port}\` joins as a second user.`,
    }),
});
