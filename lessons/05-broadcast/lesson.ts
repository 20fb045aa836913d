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
  describeTextChange,
} from '../../checker/lesson-api.ts';

const said = (text: string) => `You said: ${text}`;
const heard = (text: string) => `Someone says: ${text}`;
const announced = (line: string) => `Server: ${line}`;
/** Another client's message, which may arrive at any moment in checks that are about something else. */
const isHeard = (m: Message) => !m.isBinary && m.text.startsWith('Someone says: ');

/** A message with the things a server must leave alone: spaces around and inside, HTML-looking text. */
const AWKWARD_MESSAGE = '  <b>How</b> is  everyone? & "you"  ';

/** What each scripted client has sent, to recognise its own message coming back to it. */
const sentBy = new WeakMap<ScriptedClient, string[]>();
/** The clients whose messages the server has answered with "You said" at least once. */
const answered = new WeakSet<ScriptedClient>();
/** The clients that connected and have sent nothing, to name that when they are left out. */
const silent = new WeakSet<ScriptedClient>();

function isOwnMessage(client: ScriptedClient, received: Message): boolean {
  return (sentBy.get(client) ?? []).some((text) => received.text === heard(text));
}

function explainChanged(text: string, received: Message, wrap: (text: string) => string): string | undefined {
  const change = describeTextChange(text, (changed) => received.text === wrap(changed));
  return change && `Your server ${change}. Pass the message on exactly as it came: data.toString(), with nothing trimmed or escaped.`;
}

function explainToSender(sender: ScriptedClient, text: string, received: Message): string | undefined {
  if (isOwnMessage(sender, received)) return explain.senderInBroadcast(sender.name);
  if (received.text === text) return 'Add the prefix: the sender gets "You said: " followed by its message.';
  const changed = explainChanged(text, received, said);
  if (changed) return changed;
  if (received.text.startsWith('You said:')) return 'The reply is exactly "You said: " (one space after the colon) followed by the message.';
  return undefined;
}

function explainToOther(receiver: ScriptedClient, text: string, received: Message): string | undefined {
  if (isOwnMessage(receiver, received)) return explain.senderInBroadcast(receiver.name);
  if (received.text === said(text)) return 'Only the sender gets "You said: m". Every other client gets "Someone says: m".';
  if (received.text === text) return 'Add the prefix: the other clients get "Someone says: " followed by the message.';
  return explainChanged(text, received, heard);
}

const nothingToSender = "Listen for messages (socket.on('message', ...)) and answer on that socket: socket.send(`You said: ${data.toString()}`).";
const nothingToOthers =
  'Every other open client gets "Someone says: m": keep every connection in a set (add it on connection, delete it on close) ' +
  'and send to each one except the sender.';
const neverSpoke = (name: string) =>
  `${name} has connected and sent nothing, and got nothing either. Every open client hears the others, whether it has spoken ` +
  'or not: add a connection to your set when it connects, not when it first sends a message.';
const stalledSender = (name: string) =>
  `${name}'s earlier messages were answered, but this one got no "You said" back either, and nobody heard it: your server ` +
  `never finished handling it. Is the message handler waiting for something that never comes, such as a promise around a ` +
  'send to a client that is leaving (its callback gets an error, so a promise resolved only on success never settles)? ' +
  'socket.send() needs no waiting: it queues the message. Skip a client that is not OPEN, and answer the sender first.';

/** The failure to report from a failed expectation, with `whenNothing` as its explanation if nothing arrived and it names no mistake yet. */
function failureOf(reason: unknown, whenNothing: string): unknown {
  if (!(reason instanceof CheckFailure) || reason.details.explanation || reason.details.received !== 'nothing') return reason;
  return new CheckFailure(reason.message, { ...reason.details, explanation: whenNothing });
}

/**
 * `sender` says `text`: it must get "You said: text", and each of `others` (every other client
 * connected and registered at that moment) "Someone says: text". Resolves once all have.
 * Other clients' messages the sender may receive meanwhile are passed over when `skipHeard`.
 */
async function say(sender: ScriptedClient, text: string, others: ScriptedClient[], whenOthersGetNothing = nothingToOthers): Promise<void> {
  sentBy.set(sender, [...(sentBy.get(sender) ?? []), text]);
  silent.delete(sender);
  const toSender = sender.send(text).expectText(said(text), { explain: (m) => explainToSender(sender, text, m) });
  const toOthers = others.map((other) => other.expectText(heard(text), { explain: (m) => explainToOther(other, text, m) }));
  const [fromSender, ...fromOthers] = await Promise.allSettled([toSender, ...toOthers]);
  if (fromSender!.status === 'rejected') {
    const nobodyHeard = fromOthers.length > 0 && fromOthers.every((result) => result.status === 'rejected');
    throw failureOf(fromSender!.reason, answered.has(sender) && nobodyHeard ? stalledSender(sender.name) : nothingToSender);
  }
  answered.add(sender);
  const missed = fromOthers.findIndex((result) => result.status === 'rejected');
  if (missed < 0) return;
  const quiet = onlySilentMissed(others, fromOthers);
  throw failureOf((fromOthers[missed] as PromiseRejectedResult).reason, quiet ? neverSpoke(quiet.name) : whenOthersGetNothing);
}

/** The first client that missed a message when every client that missed it has sent nothing yet and some other client got it; else undefined. */
function onlySilentMissed(clients: ScriptedClient[], results: PromiseSettledResult<unknown>[]): ScriptedClient | undefined {
  const missed = clients.filter((_, i) => results[i]!.status === 'rejected');
  const someGotIt = missed.length < clients.length;
  return someGotIt && missed.every((client) => silent.has(client)) ? missed[0] : undefined;
}

/**
 * Connects a client that sends nothing (yet). Once it is open the server has it: ws runs the
 * server's 'connection' handler as it accepts, before the client learns its connection is open.
 */
function connectSilent(ctx: ServerCheckContext, name: string): ScriptedClient {
  const client = ctx.connect(name);
  silent.add(client);
  return client.step(() => ctx.note(`${name} is connected and sends nothing: ${name} must hear everything all the same`));
}

/**
 * Connects the clients one at a time. Each says hello and gets "You said" (so the server has
 * registered it) while everyone already there, and the `listeners`, hear it: the state every
 * later step relies on.
 */
async function joinInTurn(ctx: ServerCheckContext, names: string[], listeners: ScriptedClient[] = []): Promise<ScriptedClient[]> {
  const present: ScriptedClient[] = [];
  for (const name of names) {
    const client = ctx.connect(name);
    await say(client, `hi, I am ${name}`, [...listeners, ...present]);
    present.push(client);
  }
  return present;
}

/** A client's round trip that ignores other people's messages: proves the server has registered it. */
function registered(client: ScriptedClient, text: string): ScriptedClient {
  answered.add(client);
  return client.send(text).expectText(said(text), { skip: isHeard });
}

/** Names the mistake when a client got `m` instead of the line typed as `typed` (of the `lines` typed in one go). */
function explainAnnounced(m: Message, typed: string, lines: string[]): string | undefined {
  if (m.text === typed) return 'Add the prefix: every client gets "Server: " followed by the line.';
  if (m.text === said(typed) || m.text === heard(typed))
    return 'A line typed on the server is not a client\'s message: it goes to every client as "Server: <line>".';
  const position = lines.indexOf(typed);
  if (typed === '' && m.text === announced(lines[position + 1] ?? '')) {
    return 'The empty line was skipped. Every line typed is sent, the empty one too: it arrives as "Server: ".';
  }
  if (lines.length > 1 && m.text.includes('\n')) {
    return (
      'Lines typed in one go arrived as one message. Standard input comes in chunks, and one chunk may hold several lines: ' +
      "let readline split it (createInterface({ input: process.stdin }).on('line', ...)) instead of reading 'data' chunks."
    );
  }
  const change = describeTextChange(typed, (changed) => m.text === announced(changed));
  return change && `Your server ${change}. Send each line exactly as it was typed: \`Server: ${'${line}'}\`.`;
}

/**
 * Types `lines` on the server's standard input, in one chunk: every client must get
 * "Server: <line>" for each, in order (other clients' messages may come between). `earlier`
 * lines typed in this check have been delivered; `whenMissing` names the likely mistake when
 * a line does not reach everyone.
 */
async function typeLines(ctx: ServerCheckContext, lines: string[], clients: ScriptedClient[], earlier: number, whenMissing?: string): Promise<void> {
  ctx.server.writeLines(lines);
  const deliveries = clients.map((client) => {
    for (const line of lines) client.expectText(announced(line), { skip: isHeard, explain: (m) => explainAnnounced(m, line, lines) });
    return client;
  });
  const results = await Promise.allSettled(deliveries);
  const failed = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failed.length === 0) return;
  const reached = clients.filter((_, i) => results[i]!.status === 'fulfilled');
  const first = failed[0];
  if (!(first instanceof CheckFailure) || first.details.explanation) throw first;
  const quiet = onlySilentMissed(clients, results);
  const explanation =
    whenMissing ??
    (quiet
      ? neverSpoke(quiet.name)
      : reached.length > 0
        ? `Only ${reached.map((client) => client.name).join(' and ')} got the line. Every line goes to every connected client: loop over all of your clients, not just the latest connection.`
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

const droppedWrongClient = (name: string) =>
  `${name} is still connected, and her own messages are answered, but she no longer hears the others: when another client ` +
  `left, your server took ${name} out of the clients it sends to. Remove exactly the client that left, once: clients.delete(socket) ` +
  'with a Set. (With an array, splice(clients.indexOf(socket), 1) removes the last element when indexOf says -1: a client ' +
  "removed already, say by the 'error' handler, takes another one with it.)";

/** How the shared robustness checks prove a client is served: a "You said" round trip, and it still hears another client. */
const served: Served = {
  open: (ctx, name) => registered(ctx.connect(name), `ping from ${name}`),
  again: async (ctx, client, round) => {
    await registered(client, `ping ${round} from ${client.name}`);
    const text = `frank checks on ${client.name}, round ${round}`;
    const frank = ctx.connect('frank');
    await Promise.all([
      registered(frank, text),
      explained(client.expectText(heard(text), { skip: (m) => isHeard(m) && m.text !== heard(text) }), (failure) =>
        failure.details.received === 'nothing' ? droppedWrongClient(client.name) : undefined,
      ),
    ]);
    // Frank only came to speak; he leaves, so that the clients of the check are the only ones there.
    await frank.close(1000);
  },
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
      name: 'sends "Someone says: m" to every other client, also one that has sent nothing, with m exactly as sent',
      needs: ['you-said'],
      run: async (ctx) => {
        const [alice, bob] = await joinInTurn(ctx, ['alice', 'bob']);
        const dave = connectSilent(ctx, 'dave');
        await dave;
        const [carol] = await joinInTurn(ctx, ['carol'], [alice!, bob!, dave]);
        await say(bob!, 'good morning', [alice!, carol!, dave]);
        await say(carol!, AWKWARD_MESSAGE, [alice!, bob!, dave]);
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
      name: 'sends every line typed on its standard input to every client as "Server: <line>", exactly as typed',
      needs: ['you-said'],
      run: async (ctx) => {
        const carol = connectSilent(ctx, 'carol');
        const talkers = [ctx.connect('alice'), ctx.connect('bob')];
        await Promise.all([carol, ...talkers.map((client) => registered(client, `hi, I am ${client.name}`))]);
        const clients = [...talkers, carol];
        // One line, then lines typed in one go (pasted, or piped in): each is a message of its own.
        const typing = [
          ['Hello from the operator'],
          ['A second line', 'Grüße 👋 and a third'],
          ['', 'after an empty line'],
          ['  <i>indented</i>  and  spaced  '],
        ];
        let earlier = 0;
        for (const lines of typing) {
          await typeLines(ctx, lines, clients, earlier);
          earlier += lines.length;
        }
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
        await typeLines(ctx, ['carol is leaving'], [alice, bob], 0, leavingSkipped);
        ctx.note('bob drops his connection, and alice speaks at once, before the server may have noticed');
        const dave = ctx.connect('dave');
        await say(dave, 'hi, I am dave', [alice, bob]);
        await bob.drop();
        await say(alice, 'bob has gone too', [dave]);
        await typeLines(ctx, ['still serving'], [alice, dave], 0, leavingSkipped);
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
