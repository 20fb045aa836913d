// mutant: counts every message, refused ones too, and never forgets them (a learner's program, written from the contract)
// fails: rate-window
// message: /after a quiet second.*0 were passed on[^]*count refused messages against a connection forever/
import { WebSocketServer, WebSocket } from 'ws';

const tokens = new Map<string, string>();
for (const entry of (process.env.TOKENS ?? 'alice-secret:Alice,bob-secret:Bob').split(',')) {
  const [token, ...rest] = entry.split(':');
  if (token && rest.length) tokens.set(token, rest.join(':'));
}
const origins = (process.env.ALLOWED_ORIGINS ?? 'http://localhost:8080').split(',');

function findToken(url: string | undefined, auth: string | undefined): string | null {
  const query = new URL(url ?? '/', 'http://x').searchParams.get('token');
  if (query) return query;
  if (auth && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  return null;
}

function originOk(origin: string | undefined): boolean {
  return origin === undefined || origins.includes(origin);
}

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: Number(process.env.PORT ?? 8080),
  maxPayload: 4096,
  verifyClient: (info, done) => {
    const token = findToken(info.req.url, info.req.headers.authorization);
        if (!token || !tokens.has(token)) return done(false, 401, 'Unauthorized');
    if (!originOk(info.req.headers.origin)) return done(false, 403, 'Forbidden');
    done(true);
      },
});

const clients = new Map<WebSocket, string>();
let nextId = 1;

function send(ws: WebSocket, msg: object) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}
function toAll(msg: object) {
  for (const ws of clients.keys()) send(ws, msg);
}
function error(ws: WebSocket, code: string, message: string) {
  send(ws, { type: 'error', code, message });
}

function limiter() {
  let count = 0;
  return () => ++count <= 10;
}

wss.on('connection', (ws, req) => {
  ws.on('error', () => {});
  const name = tokens.get(findToken(req.url, req.headers.authorization)!)!;
    send(ws, { type: 'welcome', name, users: [...new Set(clients.values())].filter((n) => n !== name) });
  if (![...clients.values()].includes(name)) toAll({ type: 'joined', name });
  clients.set(ws, name);
  console.log(`${name} is here`);
    const allow = limiter();
  ws.on('message', (raw, isBinary) => {
        if (!allow()) return error(ws, 'rate-limited', 'Too many messages.');
        let msg: unknown;
    try {
      msg = isBinary ? undefined : JSON.parse(raw.toString());
    } catch {
      msg = undefined;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return error(ws, 'bad-json', 'Send a JSON object.');
    const m = msg as Record<string, unknown>;
    if (m.type === 'join') return error(ws, 'already-joined', 'You are in already.');
    if (m.type !== 'say') return error(ws, 'unknown-type', 'Unknown type.');
    if (typeof m.text !== 'string' || m.text.length < 1 || m.text.length > 1000) return error(ws, 'bad-field', 'Bad text.');
        toAll({ type: 'message', id: nextId++, from: name, text: m.text, at: Date.now() });
      });
  ws.on('close', () => {
    clients.delete(ws);
    if (![...clients.values()].includes(name)) toAll({ type: 'left', name });
  });
});
