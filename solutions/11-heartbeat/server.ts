// Lesson 11 · Heartbeats and dead connections: the JSON chat of lesson 09, which now finds out
// when a peer has vanished without a word. Every HEARTBEAT_MS it pings every connection; one
// that has not answered the last ping is ended. A page can ping too ({"type":"ping"}), and on
// SIGTERM the server says goodbye to everyone (1001) and exits.
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const HEARTBEAT_MS = Number(process.env.HEARTBEAT_MS ?? 30_000);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

const MAX_NAME_LENGTH = 32;
const MAX_TEXT_LENGTH = 1000;

/** Any value JSON can hold. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a client may send, once it has been checked. */
type ClientMessage = { type: 'join'; name: string } | { type: 'say'; text: string } | { type: 'ping'; id?: Json };

type ErrorCode = 'bad-json' | 'unknown-type' | 'bad-field' | 'not-joined' | 'already-joined' | 'name-taken';

/** A refusal, sent only to the client whose message was refused. */
type ErrorMessage = { type: 'error'; code: ErrorCode; message: string };

/** What the server sends. */
type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'joined'; name: string }
  | { type: 'message'; id: number; from: string; text: string; at: number }
  | { type: 'left'; name: string; reason?: 'timeout' }
  | { type: 'pong'; id?: Json }
  | ErrorMessage;

/** The users who have joined, in the order they joined (a Map keeps insertion order). */
const users = new Map<WebSocket, string>();
/** The id of the last chat message; ids are one sequence for the whole server. */
let lastId = 0;

/** Connections that have answered the last ping, or opened since it was sent. */
const answered = new WeakSet<WebSocket>();
/** Connections the heartbeat ended: their `left` says so. */
const timedOut = new WeakSet<WebSocket>();

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
    case 'ping':
      // The id is the client's own business: whatever JSON it is, it goes back untouched.
      return { type: 'ping', id: value.id as Json | undefined };
    default:
      return refuse('unknown-type', '"type" must be "join", "say" or "ping".');
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** Sends `message` to every joined user. */
function broadcast(message: ServerMessage): void {
  const text = JSON.stringify(message); // Serialised once, however many receive it.
  for (const client of users.keys()) {
    if (client.readyState === WebSocket.OPEN) client.send(text);
  }
}

/** True when a joined user already has this name, in any mix of capitals. */
function isTaken(name: string): boolean {
  const wanted = name.toLowerCase();
  for (const taken of users.values()) if (taken.toLowerCase() === wanted) return true;
  return false;
}

function join(socket: WebSocket, name: string): void {
  if (users.has(socket)) {
    send(socket, refuse('already-joined', 'You have already joined.'));
    return;
  }
  if (isTaken(name)) {
    send(socket, refuse('name-taken', `The name "${name}" is taken; choose another.`));
    return;
  }
  send(socket, { type: 'welcome', name, users: [...users.values()] });
  broadcast({ type: 'joined', name });
  users.set(socket, name);
  console.log(`${name} joined (${users.size} online)`);
}

function say(socket: WebSocket, text: string): void {
  const from = users.get(socket);
  if (from === undefined) {
    send(socket, refuse('not-joined', 'Join first: {"type":"join","name":"..."}.'));
    return;
  }
  // Everyone gets it, the sender too: its copy, with the id, says the server has it.
  broadcast({ type: 'message', id: ++lastId, from, text, at: Date.now() });
}

// One timer for all connections. Each tick ends the connections that did not answer the
// previous tick's ping, and pings the others: a dead peer is gone within two ticks.
const heartbeat = setInterval(() => {
  for (const socket of wss.clients) {
    if (!answered.has(socket)) {
      timedOut.add(socket);
      socket.terminate(); // A vanished peer cannot answer a close frame: end the TCP connection now.
      continue;
    }
    answered.delete(socket);
    socket.ping();
  }
}, HEARTBEAT_MS);

/** Closes every connection with 1001 (going away) and lets the process end by itself. */
function shutDown(): void {
  console.log('Shutting down');
  clearInterval(heartbeat);
  for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
  // No new connections; once the last one has closed, nothing keeps Node.js running.
  wss.close();
  // ws waits 30 s for a close frame to be answered; a peer that never answers is cut off.
  setTimeout(() => {
    for (const socket of wss.clients) socket.terminate();
  }, 500).unref();
}
process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);

wss.on('listening', () => console.log(`JSON chat server listening on ws://localhost:${port}, heartbeat every ${HEARTBEAT_MS} ms`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

wss.on('connection', (socket: WebSocket) => {
  // Without this listener, one client that sends a broken frame would crash the whole server.
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  // A new connection counts as alive until the first ping it fails to answer.
  answered.add(socket);
  socket.on('pong', () => answered.add(socket));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const message = parse(data, isBinary);
    switch (message.type) {
      case 'error':
        return send(socket, message);
      case 'join':
        return join(socket, message.name);
      case 'say':
        return say(socket, message.text);
      case 'ping':
        return send(socket, { type: 'pong', id: message.id });
    }
  });

  // 'close' comes for every ending: a close frame, a dropped connection, the heartbeat, an error.
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return; // It never joined: nobody to tell.
    users.delete(socket);
    const timeout = timedOut.has(socket);
    console.log(`${name} left${timeout ? ' (timed out)' : ''} (${users.size} online)`);
    broadcast(timeout ? { type: 'left', name, reason: 'timeout' } : { type: 'left', name });
  });
});
