// Lesson 11 · Heartbeats and dead connections
// The JSON chat of lesson 09 (its reference solution), which must now notice peers that vanish
// without a word, answer a page's own pings, and shut down politely.
// Run `npm run lesson 11` to read the lesson, `npm run check -- 11` to check your work.
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const HEARTBEAT_MS = Number(process.env.HEARTBEAT_MS ?? 30_000);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

const MAX_NAME_LENGTH = 32;
const MAX_TEXT_LENGTH = 1000;

// TODO 1: the protocol grows by three messages. Add them to the types:
//   - a client may send { type: 'ping'; id?: Json }, where Json is any value JSON can hold
//     (type Json = null | boolean | number | string | Json[] | { [key: string]: Json });
//   - the server answers it with { type: 'pong'; id?: Json };
//   - the server's 'left' may carry reason?: 'timeout'.

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

/** The users who have joined, in the order they joined (a Map keeps insertion order). */
const users = new Map<WebSocket, string>();
/** The id of the last chat message; ids are one sequence for the whole server. */
let lastId = 0;

// TODO 2: two sets of connections for the heartbeat (a WeakSet<WebSocket> forgets a connection
//         by itself once it is gone): those that have answered the last ping, and those the
//         heartbeat has ended, whose 'left' must say reason: 'timeout'.

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
    // TODO 3: a 'ping' is always valid: return it with its id exactly as it came, whatever
    //         JSON value that is (a number, a string, an object, null...), or none at all.
    default:
      return refuse('unknown-type', '"type" must be "join" or "say".');
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

// TODO 4: the heartbeat: ONE setInterval for all connections, every HEARTBEAT_MS. On each tick,
//         for every socket in wss.clients: if it has not answered since the last tick, mark it
//         timed out and socket.terminate() it (not close(): a vanished peer never answers a
//         close frame); otherwise forget its answer and socket.ping() it.

// TODO 5: on SIGTERM (and SIGINT, for Ctrl-C), shut down: stop the heartbeat (clearInterval),
//         close every connection with code 1001, and wss.close(). Then nothing is left to keep
//         Node.js running, and the process exits by itself: no process.exit() needed.

wss.on('listening', () => console.log(`JSON chat server listening on ws://localhost:${port}, heartbeat every ${HEARTBEAT_MS} ms`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

wss.on('connection', (socket: WebSocket) => {
  // Without this listener, one client that sends a broken frame would crash the whole server.
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  // TODO 6: a new connection counts as having answered (it has not been pinged yet), and every
  //         'pong' it sends marks it as having answered again.

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const message = parse(data, isBinary);
    switch (message.type) {
      case 'error':
        return send(socket, message);
      case 'join':
        return join(socket, message.name);
      case 'say':
        return say(socket, message.text);
      // TODO 7: answer a ping at once, to this socket only: { type: 'pong', id: message.id }.
    }
  });

  // 'close' comes for every ending: a close frame, a dropped connection, or an error.
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return; // It never joined: nobody to tell.
    users.delete(socket);
    console.log(`${name} left (${users.size} online)`);
    // TODO 8: when the heartbeat ended this connection, the others get reason: 'timeout' too.
    broadcast({ type: 'left', name });
  });
});
