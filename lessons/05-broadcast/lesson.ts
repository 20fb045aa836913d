import {
  CheckFailure,
  defineLesson,
  explain,
  explained,
  type Message,
  robustnessChecks,
  runOperatorDemo,
  type ScriptedClient,
  type Served,
  type ServerCheckContext,
  UNICODE_MESSAGE,
} from '../../checker/lesson-api.ts';

const said = (text: string) => `You said: ${text}`;
const heard = (text: string) => `Someone says: ${text}`;
const announced = (line: string) => `Server: ${line}`;
/** Another client's message, which may arrive at any moment in checks that are about something else. */
const isHeard = (m: Message) => !m.isBinary && m.text.startsWith('Someone says: ');

/** What each scripted client has sent, to recognise its own message coming back to it. */
const sentBy = new WeakMap<ScriptedClient, string[]>();

function isOwnMessage(client: ScriptedClient, received: Message): boolean {
  return (sentBy.get(client) ?? []).some((text) => received.text === heard(text));
}

function explainToSender(sender: ScriptedClient, text: string, received: Message): string | undefined {
  if (isOwnMessage(sender, received)) return explain.senderInBroadcast(sender.name);
  if (received.text === text) return 'Add the prefix: the sender gets "You said: " followed by its message.';
  if (received.text.startsWith('You said:')) return 'The reply is exactly "You said: " (one space after the colon) followed by the message.';
  return undefined;
}

function explainToOther(receiver: ScriptedClient, text: string, received: Message): string | undefined {
  if (isOwnMessage(receiver, received)) return explain.senderInBroadcast(receiver.name);
  if (received.text === said(text)) return 'Only the sender gets "You said: m". Every other client gets "Someone says: m".';
  if (received.text === text) return 'Add the prefix: the other clients get "Someone says: " followed by the message.';
  return undefined;
}

const nothingToSender =
  "Listen for messages (socket.on('message', ...)) and answer on that socket: socket.send(`You said: ${data.toString()}`).";
const nothingToOthers =
  'Every other open client gets "Someone says: m": keep every connection in a set (add it on connection, delete it on close) ' +
  'and send to each one except the sender.';

/**
 * `sender` says `text`: it must get "You said: text", and each of `others` (every other client
 * connected and registered at that moment) "Someone says: text". Resolves once all have.
 */
function say(sender: ScriptedClient, text: string, others: ScriptedClient[], whenOthersGetNothing = nothingToOthers): Promise<unknown> {
  sentBy.set(sender, [...(sentBy.get(sender) ?? []), text]);
  const toSender = sender.send(text).expectText(said(text), { explain: (m) => explainToSender(sender, text, m) });
  const toOthers = others.map((other) =>
    explained(other.expectText(heard(text), { explain: (m) => explainToOther(other, text, m) }), (failure) =>
      failure.details.received === 'nothing' ? whenOthersGetNothing : undefined,
    ),
  );
  return Promise.all([explained(toSender, (failure) => (failure.details.received === 'nothing' ? nothingToSender : undefined)), ...toOthers]);
}

/**
 * Connects the clients one at a time. Each says hello and gets "You said" (so the server has
 * registered it) while everyone already there hears it: the state every later step relies on.
 */
async function joinInTurn(ctx: ServerCheckContext, names: string[]): Promise<ScriptedClient[]> {
  const present: ScriptedClient[] = [];
  for (const name of names) {
    const client = ctx.connect(name);
    await say(client, `hi, I am ${name}`, [...present]);
    present.push(client);
  }
  return present;
}

/** A client's round trip that ignores other people's messages: proves the server has registered it. */
function registered(client: ScriptedClient, text: string): ScriptedClient {
  return client.send(text).expectText(said(text), { skip: isHeard });
}

/**
 * Types `line` on the server's standard input: every client must get "Server: line" (other
 * clients' messages may come first). `earlier` lines typed in this check have been delivered;
 * `whenMissing` names the likely mistake when the line does not reach everyone.
 */
async function typeLine(ctx: ServerCheckContext, line: string, clients: ScriptedClient[], earlier: number, whenMissing?: string): Promise<void> {
  ctx.server.writeLine(line);
  const deliveries = clients.map((client) =>
    client.expectText(announced(line), {
      skip: isHeard,
      explain: (m) => {
        if (m.text === line) return 'Add the prefix: every client gets "Server: " followed by the line.';
        if (m.text === said(line) || m.text === heard(line)) return 'A line typed on the server is not a client\'s message: it goes to every client as "Server: <line>".';
        return undefined;
      },
    }),
  );
  const results = await Promise.allSettled(deliveries);
  const failed = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failed.length === 0) return;
  const reached = clients.filter((_, i) => results[i]!.status === 'fulfilled').map((client) => client.name);
  const first = failed[0];
  if (!(first instanceof CheckFailure) || first.details.explanation) throw first;
  const explanation =
    whenMissing ??
    (reached.length > 0
      ? `Only ${reached.join(' and ')} got the line. Every line goes to every connected client: loop over all of your clients, not just the latest connection.`
      : earlier > 0
        ? `The first ${earlier === 1 ? 'line' : `${earlier} lines`} arrived, this one did not: your server stopped reading its standard input. ` +
          "readline's 'line' event fires for every line (terminal.on('line', ...)); rl.question() and once() fire only once."
        : "None of the clients got the line. Read standard input with readline: createInterface({ input: process.stdin }).on('line', (line) => ...), " +
          'and send every line to every client as "Server: <line>".');
  throw new CheckFailure(first.message, { ...first.details, explanation });
}

const leavingSkipped =
  'carol, the first to connect, is leaving: her connection is CLOSING. Skip a client whose readyState is not WebSocket.OPEN and ' +
  'go on with the others: in a for...of loop that is `continue`; a `return` ends the whole broadcast.';

/** How the shared robustness checks prove a client is served: a "You said" round trip. */
const served: Served = {
  open: (ctx, name) => registered(ctx.connect(name), `ping from ${name}`),
  again: (client, round) => registered(client, `ping ${round} from ${client.name}`),
};

export default defineLesson({
  kind: 'server',
  checks: [
    {
      id: 'you-said',
      name: 'answers the sender with "You said: m"',
      run: async (ctx) => {
        const alice = ctx.connect('alice');
        await say(alice, 'hello', []);
        await alice.close(1000);
        await say(ctx.connect('bob'), UNICODE_MESSAGE, []);
      },
    },
    {
      id: 'others-hear',
      name: 'sends "Someone says: m" to every other client',
      needs: ['you-said'],
      run: async (ctx) => {
        const [alice, bob, carol] = await joinInTurn(ctx, ['alice', 'bob', 'carol']);
        await say(bob, 'good morning', [alice, carol]);
        await say(carol, 'how is everyone?', [alice, bob]);
      },
    },
    {
      id: 'not-to-sender',
      name: 'does not send the sender its own message as "Someone says"',
      needs: ['you-said'],
      run: async (ctx) => {
        const [alice, bob] = await joinInTurn(ctx, ['alice', 'bob']);
        await say(alice, 'first', [bob]);
        ctx.note("bob has alice's message, so the server has handled it. Now bob speaks: alice's next message must be bob's.");
        await say(bob, 'second', [alice]);
      },
    },
    {
      id: 'server-lines',
      name: 'sends every line typed on its standard input to every client as "Server: <line>"',
      needs: ['you-said'],
      run: async (ctx) => {
        const clients = [ctx.connect('alice'), ctx.connect('bob'), ctx.connect('carol')];
        await Promise.all(clients.map((client) => registered(client, `hi, I am ${client.name}`)));
        const lines = ['Hello from the operator', 'A second line', 'Grüße 👋 and a third'];
        for (const [i, line] of lines.entries()) await typeLine(ctx, line, clients, i);
      },
    },
    {
      id: 'leaving-client',
      name: 'keeps broadcasting to everyone else while a client is disconnecting',
      needs: ['others-hear', 'server-lines'],
      run: async (ctx) => {
        const [carol, alice, bob] = await joinInTurn(ctx, ['carol', 'alice', 'bob']);
        ctx.note('carol closes her connection, but her TCP connection never finishes closing: on the server it stays CLOSING, in its set, for a while');
        await carol.closeAndLinger();
        await say(alice, 'is carol still here?', [bob], leavingSkipped);
        await typeLine(ctx, 'carol is leaving', [alice, bob], 0, leavingSkipped);
        ctx.note('bob drops his connection, and alice speaks at once, before the server may have noticed');
        const dave = ctx.connect('dave');
        await say(dave, 'hi, I am dave', [alice, bob]);
        await bob.drop();
        await say(alice, 'bob has gone too', [dave]);
        await typeLine(ctx, 'still serving', [alice, dave], 0, leavingSkipped);
      },
    },
    ...robustnessChecks(served, ['you-said']),
  ],
  hints: [
    "Keep the connections in a Set<WebSocket>: clients.add(socket) when one connects, clients.delete(socket) in its 'close' handler.",
    'On a message m: socket.send(`You said: ${m}`) to the sender, then loop over the set and send `Someone says: ${m}` to every client that is not the sender (client !== socket).',
    "Read the terminal with readline: const terminal = createInterface({ input: process.stdin }); terminal.on('line', (line) => ...). Its 'line' event fires for every line, and the server keeps serving in between.",
    'One broadcast(text, except?) function can serve both: the message loop passes the sender as except, the terminal passes nothing.',
    "In the loop, skip a client whose readyState is not WebSocket.OPEN with `continue`: a client that is leaving stays in your set until its 'close' event.",
  ],
  demo: (port) => runOperatorDemo('broadcast', port),
});
