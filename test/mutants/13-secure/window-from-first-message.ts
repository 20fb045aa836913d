// mutant: a fixed window that begins with a connection's first message and starts again with the first message after it ends
// fails: rate-window
// message: /\d+ of [\w-]+'s messages were passed on within \d+ ms/
import { createServer, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);

/** token -> name, from "token:Name,token:Name". Names may hold spaces; a token may not hold ":". */
const names = new Map<string, string>();
for (const pair of (process.env.TOKENS ?? 'alice-secret:Alice,bob-secret:Bob').split(',')) {
  const colon = pair.indexOf(':');
  if (colon > 0) names.set(pair.slice(0, colon), pair.slice(colon + 1));
}
/** The pages allowed to open a connection from a browser, compared exactly. */
const allowedOrigins = new Set((process.env.ALLOWED_ORIGINS ?? 'http://localhost:8080').split(','));

const MAX_MESSAGE_BYTES = 4096;
const MAX_NAME_LENGTH = 32;
const MAX_TEXT_LENGTH = 1000;
const RATE_LIMIT = 10;
const RATE_WINDOW_MS = 1000;

type ClientMessage = { type: 'join'; name: string } | { type: 'say'; text: string };

type ErrorCode = 'bad-json' | 'unknown-type' | 'bad-field' | 'not-joined' | 'already-joined' | 'name-taken' | 'rate-limited';

type ErrorMessage = { type: 'error'; code: ErrorCode; message: string };

type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'joined'; name: string }
  | { type: 'message'; id: number; from: string; text: string; at: number }
  | { type: 'left'; name: string }
  | ErrorMessage;

/** Every open connection and the user it belongs to (one user may have several). */
const users = new Map<WebSocket, string>();
let lastId = 0;

// ---- the door: the HTTP upgrade -----------------------------------------------------------

/** The token a request presents: `?token=` (all a browser can do) or `Authorization: Bearer`. */
function tokenOf(request: IncomingMessage): string | undefined {
  const fromQuery = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
  if (fromQuery) return fromQuery;
  const bearer = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  return bearer?.[1];
}

/** Answers the upgrade request with an HTTP error and hangs up: no WebSocket is ever made. */
function refuse(socket: Duplex, status: 401 | 403): void {
  socket.on('error', () => {}); // The client may hang up first; that is not our problem.
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

const http = createServer((_request, response) => {
  response.writeHead(426, { 'Content-Type': 'text/plain' }).end('This server speaks WebSocket only.\n');
});
const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
  const name = names.get(tokenOf(request) ?? '');
  if (name === undefined) {
    refuse(socket, 401);
    return;
  }
  // Browsers always send Origin; other programs need not, and cannot be tricked into it.
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedOrigins.has(origin)) {
    console.log(`Refused a connection for ${name} from the page ${origin}`);
    refuse(socket, 403);
    return;
  }
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, name));
});

// ---- the chat of lesson 09 --------------------------------------------------------------

function refusal(code: ErrorCode, message: string): ErrorMessage {
  return { type: 'error', code, message };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parse(data: RawData, isBinary: boolean): ClientMessage | ErrorMessage {
  if (isBinary) return refusal('bad-json', 'Binary frames are not understood: send JSON in a text frame.');
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return refusal('bad-json', 'That is not valid JSON.');
  }
  if (!isObject(value)) return refusal('bad-json', 'A message must be a JSON object, like {"type":"say","text":"hi"}.');

  switch (value.type) {
    case 'join': {
      const name = typeof value.name === 'string' ? value.name.trim() : '';
      if (name.length < 1 || name.length > MAX_NAME_LENGTH) {
        return refusal('bad-field', `"name" must be a string of 1 to ${MAX_NAME_LENGTH} characters (surrounding spaces do not count).`);
      }
      return { type: 'join', name };
    }
    case 'say': {
      const text = value.text;
      if (typeof text !== 'string' || text.length < 1 || text.length > MAX_TEXT_LENGTH) {
        return refusal('bad-field', `"text" must be a string of 1 to ${MAX_TEXT_LENGTH} characters.`);
      }
      return { type: 'say', text };
    }
    default:
      return refusal('unknown-type', '"type" must be "join" or "say".');
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function broadcast(message: ServerMessage): void {
  const text = JSON.stringify(message);
  for (const client of users.keys()) {
    if (client.readyState === WebSocket.OPEN) client.send(text);
  }
}

/** The names online, each once, in the order they arrived. */
function namesOnline(): string[] {
  return [...new Set(users.values())];
}

function say(from: string, text: string): void {
  // `from` is who the token says this is; a "from" in the message is never read.
  broadcast({ type: 'message', id: ++lastId, from, text, at: Date.now() });
}

// ---- limits -----------------------------------------------------------------------------

/**
 * A sliding one-second window: the times of the messages this connection passed on in the
 * last second. Full means refused. A window per calendar second would let 10 through at
 * 0.999 s and 10 more at 1.000 s.
 */
function makeRateLimiter(): () => boolean {
  let windowStart = 0;
  let count = 0;
  return () => {
    const now = Date.now();
    if (now - windowStart >= RATE_WINDOW_MS) {
      windowStart = now;
      count = 0;
    }
    count++;
    return count <= RATE_LIMIT;
  };
}

wss.on('connection', (socket: WebSocket, name: string) => {
  // Without this listener, one client that sends a broken frame would crash the whole server.
  // A message over maxPayload arrives here too, and ws closes that connection with 1009.
  socket.on('error', (error) => console.error(`Connection error (${name}): ${error.message}`));

  send(socket, { type: 'welcome', name, users: namesOnline().filter((other) => other !== name) });
  if (!namesOnline().includes(name)) broadcast({ type: 'joined', name });
  users.set(socket, name);
  console.log(`${name} connected (${users.size} connections)`);

  const allowed = makeRateLimiter();
  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (!allowed()) {
      send(socket, refusal('rate-limited', `At most ${RATE_LIMIT} messages a second: slow down.`));
      return;
    }
    const message = parse(data, isBinary);
    switch (message.type) {
      case 'error':
        send(socket, message);
        break;
      case 'join':
        send(socket, refusal('already-joined', `You are already in, as ${name}: your token says who you are.`));
        break;
      case 'say':
        say(name, message.text);
        break;
    }
  });

  socket.on('close', () => {
    users.delete(socket);
    console.log(`${name} disconnected (${users.size} connections)`);
    if (!namesOnline().includes(name)) broadcast({ type: 'left', name });
  });
});

http.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});
http.listen(port, '127.0.0.1', () => console.log(`Secure chat server listening on ws://localhost:${port}`));
