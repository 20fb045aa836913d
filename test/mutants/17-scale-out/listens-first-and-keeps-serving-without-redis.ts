// mutant: starts listening before it connects to Redis, and when Redis cannot be reached says so but keeps serving (no process.exit)
// breaks: "Redis unreachable at start: print a line containing `Redis` to standard error and exit non-zero"
// fails: redis-unreachable
// message: /still running [0-9.]+ s after it began listening.*wrote about Redis, yet kept running.*process\.exit\(1\)/s
// Lesson 17 · Many servers, one chat: the lesson 09 server, run as several instances that
// share one Redis. Every event goes through Redis publish/subscribe, so each instance hears
// what happens on the others; ids come from one Redis counter, names from one Redis hash.
import { createClient } from 'redis';
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const MAX_NAME_LENGTH = 32;
const MAX_TEXT_LENGTH = 1000;

/** The Redis keys every instance shares. */
const EVENTS = 'chat:events'; // the channel: every joined, message and left, as JSON
const NEXT_ID = 'chat:next-id'; // INCR gives each chat line its id, once for all instances
const NAMES = 'chat:names'; // hash: lower-cased name -> name, so a name is claimed once
const ORDER = 'chat:order'; // sorted set: name scored by when it joined, for welcome.users
const JOINS = 'chat:joins'; // the counter behind those scores

/** What a client may send, once it has been checked. */
type ClientMessage = { type: 'join'; name: string } | { type: 'say'; text: string };

type ErrorCode = 'bad-json' | 'unknown-type' | 'bad-field' | 'not-joined' | 'already-joined' | 'name-taken';

/** A refusal, sent only to the client whose message was refused. */
type ErrorMessage = { type: 'error'; code: ErrorCode; message: string };

/** What the server sends. */
type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'joined'; name: string }
  | { type: 'message'; id: number; from: string; text: string; at: number }
  | { type: 'left'; name: string }
  | ErrorMessage;

function refuse(code: ErrorCode, message: string): ErrorMessage {
  return { type: 'error', code, message };
}

/** A plain JSON object: not null, not an array, not a string or a number. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns a frame into a message the server understands, or into the error to send back. */
function parse(data: RawData, isBinary: boolean): ClientMessage | ErrorMessage {
  if (isBinary) return refuse('bad-json', 'Binary frames are not understood: send JSON in a text frame.');
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return refuse('bad-json', 'That is not valid JSON.');
  }
  if (!isObject(value)) return refuse('bad-json', 'A message must be a JSON object, like {"type":"say","text":"hi"}.');

  switch (value.type) {
    case 'join': {
      const name = typeof value.name === 'string' ? value.name.trim() : '';
      if (name.length < 1 || name.length > MAX_NAME_LENGTH) {
        return refuse('bad-field', `"name" must be a string of 1 to ${MAX_NAME_LENGTH} characters (surrounding spaces do not count).`);
      }
      return { type: 'join', name };
    }
    case 'say': {
      const text = value.text;
      if (typeof text !== 'string' || text.length < 1 || text.length > MAX_TEXT_LENGTH) {
        return refuse('bad-field', `"text" must be a string of 1 to ${MAX_TEXT_LENGTH} characters.`);
      }
      return { type: 'say', text };
    }
    default:
      return refuse('unknown-type', '"type" must be "join" or "say".');
  }
}

/** Everything that reaches every joined user of every instance. */
type Broadcast = Extract<ServerMessage, { type: 'joined' | 'message' | 'left' }>;

/** This instance's joined users. The others' are in Redis. */
const users = new Map<WebSocket, string>();

/**
 * Redis connections. A connection that has subscribed can do nothing but listen, so
 * publishing and every other command go through a second one. Until both are up, a failure
 * ends the program: a chat server without its Redis would be a chat of one instance.
 */
let started = false;
const redisOptions = {
  url: redisUrl,
  socket: { reconnectStrategy: (retries: number, cause: Error) => (started ? Math.min(100 * 2 ** retries, 2_000) : cause) },
};
const commands = createClient(redisOptions);
const subscriber = commands.duplicate();
for (const client of [commands, subscriber]) client.on('error', (error: Error) => console.error(`Redis: ${error.message}`));

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** Passes a broadcast that came through Redis to this instance's joined users (a newcomer is not told of itself). */
function deliver(message: Broadcast): void {
  const text = JSON.stringify(message);
  for (const [client, name] of users) {
    if (message.type === 'joined' && name === message.name) continue;
    if (client.readyState === WebSocket.OPEN) client.send(text);
  }
}

/** Sends `message` to every joined user of every instance, this one's included: only through Redis, never directly. */
async function broadcast(message: Broadcast): Promise<void> {
  await commands.publish(EVENTS, JSON.stringify(message));
}

async function join(socket: WebSocket, name: string): Promise<void> {
  if (users.has(socket)) return send(socket, refuse('already-joined', 'You have already joined.'));
  // HSETNX sets the field only when it is not there: one instance wins a name, whoever asks at once.
  if (!(await commands.hSetNX(NAMES, name.toLowerCase(), name))) {
    return send(socket, refuse('name-taken', `The name "${name}" is taken; choose another.`));
  }
  await commands.zAdd(ORDER, { score: await commands.incr(JOINS), value: name });
  if (socket.readyState !== WebSocket.OPEN) return forget(name); // it left while we asked Redis
  const others = (await commands.zRange(ORDER, 0, -1)).filter((other) => other !== name);
  send(socket, { type: 'welcome', name, users: others });
  users.set(socket, name);
  console.log(`${name} joined (${users.size} here)`);
  await broadcast({ type: 'joined', name });
}

async function say(socket: WebSocket, text: string): Promise<void> {
  const from = users.get(socket);
  if (from === undefined) return send(socket, refuse('not-joined', 'Join first: {"type":"join","name":"..."}.'));
  // One counter in Redis: ids go up across every instance, not per instance.
  const id = await commands.incr(NEXT_ID);
  await broadcast({ type: 'message', id, from, text, at: Date.now() });
}

/** Frees `name` in the shared presence. */
async function forget(name: string): Promise<void> {
  await commands.multi().hDel(NAMES, name.toLowerCase()).zRem(ORDER, name).exec();
}

async function leave(socket: WebSocket): Promise<void> {
  const name = users.get(socket);
  if (name === undefined) return; // It never joined: nobody to tell.
  users.delete(socket);
  console.log(`${name} left (${users.size} here)`);
  await forget(name);
  await broadcast({ type: 'left', name });
}

function serve(): WebSocketServer {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  wss.on('listening', () => console.log(`JSON chat instance listening on ws://localhost:${port}, sharing ${redisUrl}`));
  wss.on('error', (error) => {
    console.error(`Could not start the server: ${error.message}`);
    process.exit(1);
  });
  wss.on('connection', (socket: WebSocket) => {
    // Without this listener, one client that sends a broken frame would crash the whole server.
    socket.on('error', (error) => console.error(`Connection error: ${error.message}`));
    // A connection's messages wait on Redis; chained, each is handled after the one before,
    // so its say is never published ahead of its join, nor its left ahead of its last say.
    let turn = Promise.resolve();
    const inTurn = (work: () => Promise<void>) => {
      turn = turn.then(work).catch((error: Error) => console.error(`Redis: ${error.message}`));
    };
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const message = parse(data, isBinary);
      inTurn(async () => {
        if (message.type === 'error') send(socket, message);
        if (message.type === 'join') await join(socket, message.name);
        if (message.type === 'say') await say(socket, message.text);
      });
    });
    // 'close' comes for every ending: a close frame, a dropped connection, or an error.
    socket.on('close', () => inTurn(() => leave(socket)));
  });
  return wss;
}

/** On SIGTERM: tell everyone this instance's users have left, free their names, close with 1001, and let the process end. */
async function shutDown(wss: WebSocketServer): Promise<void> {
  console.log('Shutting down');
  wss.close();
  const leaving = [...users.keys()];
  await Promise.all(leaving.map((socket) => leave(socket)));
  for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
  await subscriber.quit();
  await commands.quit();
}

async function main(): Promise<void> {
  const wss = serve();
  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
    await subscriber.subscribe(EVENTS, (text) => deliver(JSON.parse(text) as Broadcast));
  } catch (error) {
    console.error(`Cannot reach Redis at ${redisUrl}: ${(error as Error).message}. Is redis-server running?`);
  }
  started = true;
  // process.on with a flag, not once: a wrapper (npx, tsx) may pass the same SIGTERM on again,
  // and a second one with no listener would kill the process halfway through its goodbyes.
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    void shutDown(wss);
  });
}

void main();
