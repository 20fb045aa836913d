// Lesson 13 · Authentication, origins and limits. This is the reference solution of lesson 09;
// the new parts are the TODOs. Read lessons/13-secure/README.md first.
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);

// TODO 1: read TOKENS ("token:Name,token:Name", default "alice-secret:Alice,bob-secret:Bob")
//         into a Map from token to name, and ALLOWED_ORIGINS (comma-separated, default
//         "http://localhost:8080") into a Set.

// TODO 2: the door. Make the HTTP server yourself (createServer from node:http), give ws
//         `noServer: true`, and in the HTTP server's 'upgrade' event (request, socket, head):
//         - take the token from ?token= or from "Authorization: Bearer <token>";
//         - unknown or missing: write an HTTP 401 response on the socket and end it;
//         - an Origin header that is not allowed: 403 (no Origin at all is fine);
//         - otherwise wss.handleUpgrade(...) and pass the token's name to 'connection'.
//         Listen on 127.0.0.1 with the HTTP server, not with ws.
// TODO 3: messages over 4096 bytes close the connection with 1009 (ws's maxPayload does it).
const wss = new WebSocketServer({ host: '127.0.0.1', port });

const MAX_NAME_LENGTH = 32;
const MAX_TEXT_LENGTH = 1000;

/** What a client may send, once it has been checked. */
type ClientMessage = { type: 'join'; name: string } | { type: 'say'; text: string };

// TODO 5: a new code, 'rate-limited'.
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

wss.on('listening', () => console.log(`JSON chat server listening on ws://localhost:${port}`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

// TODO 4: the connection handler gets the name from the door: send the welcome at once (no
//         join needed; a join is now 'already-joined'), and a say is from that name. One
//         token may be used by two connections at once: both are that user.
// TODO 5: per connection, at most 10 messages passed on per second (a sliding window or a
//         token bucket, not a count per calendar second); the others get 'rate-limited'.
// TODO 6: never print a token (nor request.url, which may hold one).
wss.on('connection', (socket: WebSocket) => {
  // Without this listener, one client that sends a broken frame would crash the whole server.
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const message = parse(data, isBinary);
    switch (message.type) {
      case 'error':
        send(socket, message);
        break;
      case 'join':
        join(socket, message.name);
        break;
      case 'say':
        say(socket, message.text);
        break;
    }
  });

  // 'close' comes for every ending: a close frame, a dropped connection, or an error.
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return; // It never joined: nobody to tell.
    users.delete(socket);
    console.log(`${name} left (${users.size} online)`);
    broadcast({ type: 'left', name });
  });
});
