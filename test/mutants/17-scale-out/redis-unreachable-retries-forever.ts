// mutant: keeps node-redis's default reconnect strategy, so with Redis down at start connect() retries for ever: it prints "Redis error" lines but never exits
// breaks: "Redis unreachable at start: print a line containing `Redis` to standard error and exit non-zero."
// fails: redis-unreachable
// message: /still running .*retries a failed connection forever/s
// (written from the contract alone, by someone who had not seen the checks)
import { randomUUID } from 'node:crypto';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { createClient } from 'redis';

const PORT = Number(process.env.PORT ?? 8080);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const CHANNEL = 'chat:events'; // every instance publishes and subscribes here
const NAMES = 'chat:names'; // hash: lower-case name -> name (the atomic claim)
const USERS = 'chat:users'; // list: joined names of every instance, in join order
const MSG_ID = 'chat:message-id'; // the one counter behind every message id

const INSTANCE = randomUUID();

// Takes the next id and publishes the message in one atomic step, so that every
// receiver on every instance sees the ids in increasing order.
// ARGV[1] is the channel, ARGV[2] the message as JSON without its id.
const PUBLISH_MESSAGE = `
local id = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], '{"id":' .. id .. ',' .. string.sub(ARGV[2], 2))
return id
`;

type ClientMessage = { type: 'join'; name: string } | { type: 'say'; text: string };

type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'error'; code: string; message: string };

type Parsed = { ok: true; msg: ClientMessage } | { ok: false; code: string; message: string };

interface Client {
  ws: WebSocket;
  key: string; // unique across instances
  name: string | null; // null until joined
  chain: Promise<void>; // this connection's messages, handled one after another
}

// ---- Redis: one connection for commands, one for subscribing ----

const cmd = createClient({ url: REDIS_URL });
const sub = cmd.duplicate();
for (const client of [cmd, sub]) {
  client.on('error', (err: Error) => console.error(`Redis error: ${err.message}`));
}

try {
  await cmd.connect();
  await sub.connect();
} catch (err) {
  console.error(`Redis unreachable at ${REDIS_URL}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

// ---- local state: only the users connected to this instance ----

const joined = new Set<Client>(); // insertion order is join order
let nextConnection = 0;
let shuttingDown = false;

function send(c: Client, msg: ServerMessage): void {
  if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify(msg));
}

function sendError(c: Client, code: string, message: string): void {
  send(c, { type: 'error', code, message });
}

// Everything published on the channel, from any instance, goes to the users of this one.
await sub.subscribe(CHANNEL, (raw: string) => {
  const { origin, ...event } = JSON.parse(raw) as { origin?: string; type: string };
  const text = JSON.stringify(event);
  for (const c of joined) {
    if (event.type === 'joined' && c.key === origin) continue; // the newcomer had its welcome
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
  }
});

// ---- the lesson 09 protocol ----

function bad(code: string, message: string): Parsed {
  return { ok: false, code, message };
}

function parse(data: RawData, isBinary: boolean): Parsed {
  if (isBinary) return bad('bad-json', 'Binary frames are not accepted; send JSON as text.');
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return bad('bad-json', 'That is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad('bad-json', 'A message must be a JSON object.');
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.type !== 'string') return bad('unknown-type', 'A message needs a string "type".');
  switch (obj.type) {
    case 'join': {
      if (typeof obj.name !== 'string') return bad('bad-field', '"name" must be a string.');
      const name = obj.name.trim();
      if (name.length < 1 || name.length > 32) {
        return bad('bad-field', '"name" must be 1 to 32 characters once trimmed.');
      }
      return { ok: true, msg: { type: 'join', name } };
    }
    case 'say': {
      if (typeof obj.text !== 'string' || obj.text.length < 1 || obj.text.length > 1000) {
        return bad('bad-field', '"text" must be a string of 1 to 1000 characters.');
      }
      return { ok: true, msg: { type: 'say', text: obj.text } };
    }
    default:
      return bad('unknown-type', `Unknown message type "${obj.type}".`);
  }
}

async function join(c: Client, name: string): Promise<void> {
  if (c.name !== null) return sendError(c, 'already-joined', 'You have already joined.');
  const claimed = await cmd.hSetNX(NAMES, name.toLowerCase(), name);
  if (!claimed) return sendError(c, 'name-taken', `The name "${name}" is already in use.`);
  const [, list] = (await cmd.multi().rPush(USERS, name).lRange(USERS, 0, -1).exec()) as unknown as [
    number,
    string[],
  ];
  c.name = name;
  joined.add(c);
  send(c, { type: 'welcome', name, users: list.filter((n) => n !== name) });
  await cmd.publish(CHANNEL, JSON.stringify({ type: 'joined', name, origin: c.key }));
}

async function say(c: Client, text: string): Promise<void> {
  if (c.name === null) return sendError(c, 'not-joined', 'Join the chat before you say anything.');
  const body = JSON.stringify({ type: 'message', from: c.name, text, at: Date.now() });
  await cmd.eval(PUBLISH_MESSAGE, { keys: [MSG_ID], arguments: [CHANNEL, body] });
}

// Idempotent: the close handler and SIGTERM may both call it.
async function leave(c: Client): Promise<void> {
  if (c.name === null) return;
  const name = c.name;
  c.name = null;
  joined.delete(c);
  await cmd
    .multi()
    .hDel(NAMES, name.toLowerCase())
    .lRem(USERS, 1, name)
    .publish(CHANNEL, JSON.stringify({ type: 'left', name, origin: c.key }))
    .exec();
}

async function handle(c: Client, data: RawData, isBinary: boolean): Promise<void> {
  if (shuttingDown) return;
  const parsed = parse(data, isBinary);
  if (!parsed.ok) return sendError(c, parsed.code, parsed.message);
  if (parsed.msg.type === 'join') return join(c, parsed.msg.name);
  return say(c, parsed.msg.text);
}

function enqueue(c: Client, task: () => Promise<void>): void {
  c.chain = c.chain.then(task).catch((err: unknown) => {
    console.error(`Redis error: ${err instanceof Error ? err.message : String(err)}`);
  });
}

// ---- the server ----

const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('connection', (ws) => {
  const c: Client = { ws, key: `${INSTANCE}:${++nextConnection}`, name: null, chain: Promise.resolve() };
  ws.on('error', (err) => console.error(`connection error: ${err.message}`));
  ws.on('message', (data, isBinary) => enqueue(c, () => handle(c, data, isBinary)));
  ws.on('close', () => enqueue(c, () => leave(c)));
});

wss.on('listening', () => console.log(`scale-out chat on ws://127.0.0.1:${PORT} (instance ${INSTANCE})`));

async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  setTimeout(() => process.exit(1), 1900).unref(); // never outstay the two seconds
  wss.close(); // no new connections
  try {
    await Promise.all([...joined].map(leave)); // announced and out of the presence
  } catch (err) {
    console.error(`Redis error while shutting down: ${err instanceof Error ? err.message : String(err)}`);
  }
  await Promise.all(
    [...wss.clients].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close(1001, 'server shutting down');
        }),
    ),
  );
  await Promise.allSettled([sub.close(), cmd.close()]);
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown());
