// mutant: application ping accepts only a number or string `id`; any other JSON value is bad-field
// breaks: "`{"type":"ping","id":X}`: `X` is any JSON value"; it "is answered at once with {"type":"pong","id":X}"
// fails: app-ping
// message: /Any JSON value is a valid id/
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const HEARTBEAT_MS = Number(process.env.HEARTBEAT_MS ?? 30000);

type ClientMessage =
  | { type: 'join'; name: string }
  | { type: 'say'; text: string }
  | { type: 'ping'; id: unknown };

type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'joined'; name: string }
  | { type: 'message'; id: number; from: string; text: string; at: number }
  | { type: 'left'; name: string; reason?: 'timeout' }
  | { type: 'pong'; id: unknown }
  | { type: 'error'; code: ErrorCode; message: string };

type ErrorCode =
  | 'bad-json'
  | 'unknown-type'
  | 'bad-field'
  | 'not-joined'
  | 'already-joined'
  | 'name-taken';

type Parsed =
  | { ok: true; msg: ClientMessage }
  | { ok: false; code: ErrorCode; message: string };

// Joined users, in the order they joined (a Map keeps insertion order).
const joined = new Map<WebSocket, string>();
let nextId = 1;
// Whether each connection has answered the last ping (or is new).
const alive = new Map<WebSocket, boolean>();
// Connections terminated by the heartbeat, so that their `left` says why.
const timedOut = new Set<WebSocket>();

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(code: ErrorCode, message: string): Parsed {
  return { ok: false, code, message };
}

function parse(data: RawData, isBinary: boolean): Parsed {
  if (isBinary) return fail('bad-json', 'Binary frames are not accepted; send JSON as text.');
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return fail('bad-json', 'That message is not valid JSON.');
  }
  if (!isObject(value)) return fail('bad-json', 'A message must be a JSON object.');
  if (typeof value.type !== 'string') return fail('unknown-type', 'A message needs a string field "type".');
  switch (value.type) {
    case 'join': {
      if (typeof value.name !== 'string') return fail('bad-field', 'join needs a string "name".');
      const name = value.name.trim();
      if (name.length < 1 || name.length > 32) {
        return fail('bad-field', 'A name must be 1 to 32 characters long.');
      }
      return { ok: true, msg: { type: 'join', name } };
    }
    case 'say': {
      const text = value.text;
      if (typeof text !== 'string') return fail('bad-field', 'say needs a string "text".');
      if (text.length < 1 || text.length > 1000) {
        return fail('bad-field', 'A text must be 1 to 1000 characters long.');
      }
      return { ok: true, msg: { type: 'say', text } };
    }
    case 'ping': {
      const id = value.id;
      if (typeof id !== 'number' && typeof id !== 'string') {
        return fail('bad-field', 'ping needs an "id" (a number or a string).');
      }
      return { ok: true, msg: { type: 'ping', id } };
    }
    default:
      return fail('unknown-type', `Unknown message type "${value.type}".`);
  }
}

function send(ws: WebSocket, msg: ServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function sendError(ws: WebSocket, code: ErrorCode, message: string): void {
  send(ws, { type: 'error', code, message });
}

function broadcast(msg: ServerMessage, except?: WebSocket): void {
  for (const client of joined.keys()) {
    if (client !== except) send(client, msg);
  }
}

function nameTaken(name: string): boolean {
  const wanted = name.toLowerCase();
  for (const other of joined.values()) {
    if (other.toLowerCase() === wanted) return true;
  }
  return false;
}

function handle(ws: WebSocket, msg: ClientMessage): void {
  switch (msg.type) {
    case 'ping':
      send(ws, { type: 'pong', id: msg.id });
      return;
    case 'join': {
      if (joined.has(ws)) return sendError(ws, 'already-joined', 'You have already joined.');
      if (nameTaken(msg.name)) return sendError(ws, 'name-taken', `The name "${msg.name}" is taken.`);
      const users = [...joined.values()];
      joined.set(ws, msg.name);
      send(ws, { type: 'welcome', name: msg.name, users });
      broadcast({ type: 'joined', name: msg.name }, ws);
      return;
    }
    case 'say': {
      const from = joined.get(ws);
      if (from === undefined) return sendError(ws, 'not-joined', 'Join before you say anything.');
      broadcast({ type: 'message', id: nextId++, from, text: msg.text, at: Date.now() });
      return;
    }
  }
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

// One timer for the whole server: every tick, a connection that has not
// answered the previous ping is dead; every other one gets a new ping.
const heartbeat = setInterval(() => {
  for (const ws of wss.clients) {
    if (!alive.get(ws)) {
      timedOut.add(ws);
      ws.terminate(); // a dead peer cannot answer a close frame
      continue;
    }
    alive.set(ws, false);
    ws.ping();
  }
}, HEARTBEAT_MS);

wss.on('connection', (ws) => {
  alive.set(ws, true);
  ws.on('pong', () => alive.set(ws, true));
  ws.on('error', (err) => console.error('connection error:', err.message));

  ws.on('message', (data, isBinary) => {
    const parsed = parse(data, isBinary);
    if (!parsed.ok) return sendError(ws, parsed.code, parsed.message);
    handle(ws, parsed.msg);
  });

  ws.on('close', () => {
    alive.delete(ws);
    const timeout = timedOut.delete(ws);
    const name = joined.get(ws);
    if (name === undefined) return;
    joined.delete(ws);
    broadcast(timeout ? { type: 'left', name, reason: 'timeout' } : { type: 'left', name });
  });
});

function shutdown(): void {
  clearInterval(heartbeat);
  for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
  wss.close();
  // A client that never answers the close frame must not keep the process alive.
  setTimeout(() => {
    for (const ws of wss.clients) ws.terminate();
  }, 500).unref();
}

process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

wss.on('listening', () => console.log(`chat server listening on ws://127.0.0.1:${PORT}`));
