// mutant: uses full jitter (random 0..wait), so a wait can be much shorter than half its value
// breaks: "each wait may be shortened by random jitter to no less than half its value."
// fails: caps-the-wait
// message: /must wait at least \d+ ms.*Jitter may shorten a wait by at most half/s
import WebSocket from 'ws';
import * as readline from 'node:readline';

const WS_URL = process.env.WS_URL ?? 'ws://localhost:8080';
const BASE_MS = Number(process.env.RECONNECT_BASE_MS ?? 500);
const MAX_MS = Number(process.env.RECONNECT_MAX_MS ?? 8000);

type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'joined'; name: string }
  | { type: 'left'; name: string }
  | { type: 'message'; id: number; from: string; text: string; at: number }
  | { type: 'error'; code: string; message: string };

let name: string | null = null;   // the first input line
let ws: WebSocket | null = null;  // the current connection, null while waiting to retry
let welcomed = false;             // welcome received on the current connection
let everWelcomed = false;         // joined at least once: later joins carry `since`
let attempt = 0;                  // reconnection attempts since the last successful connection
let retrying = false;             // a "Reconnecting" line is waiting for its "Reconnected"
let lastId = 0;                   // highest message id printed so far
let retryTimer: NodeJS.Timeout | null = null;
let finished = false;
const outbox: string[] = [];      // lines typed but not sent yet

function sendJoin(sock: WebSocket): void {
  const join: { type: 'join'; name: string; since?: number } = { type: 'join', name: name! };
  if (everWelcomed) join.since = lastId;
  sock.send(JSON.stringify(join));
}

function flushOutbox(sock: WebSocket): void {
  while (outbox.length > 0 && sock.readyState === WebSocket.OPEN) {
    const text = outbox.shift()!;
    sock.send(JSON.stringify({ type: 'say', text }));
  }
}

function handleMessage(sock: WebSocket, msg: ServerMessage): void {
  switch (msg.type) {
    case 'welcome': {
      welcomed = true;
      everWelcomed = true;
      const others = msg.users.length > 0 ? ` (online: ${msg.users.join(', ')})` : '';
      console.log(`Welcome, ${msg.name}!${others}`);
      flushOutbox(sock);
      break;
    }
    case 'joined':
      console.log(`* ${msg.name} joined`);
      break;
    case 'left':
      console.log(`* ${msg.name} left`);
      break;
    case 'message':
      if (msg.id <= lastId) break; // already printed (replayed after a reconnect)
      lastId = msg.id;
      console.log(`[${msg.from}] ${msg.text}`);
      break;
    case 'error':
      console.log(`! ${msg.message}`);
      break;
  }
}

function scheduleReconnect(): void {
  attempt += 1;
  const full = Math.min(BASE_MS * 2 ** (attempt - 1), MAX_MS);
  const wait = Math.random() * full; // random jitter so clients don't all retry together
  retrying = true;
  console.log(`Reconnecting in ${Math.round(wait)} ms (attempt ${attempt})...`);
  retryTimer = setTimeout(connect, wait);
}

function connect(): void {
  retryTimer = null;
  const sock = new WebSocket(WS_URL);
  ws = sock;
  welcomed = false;

  sock.on('open', () => {
    attempt = 0;
    if (retrying) {
      retrying = false;
      console.log('Reconnected');
    }
    if (name !== null) sendJoin(sock);
  });

  sock.on('message', (data) => {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data.toString()) as ServerMessage;
    } catch {
      return;
    }
    handleMessage(sock, msg);
  });

  sock.on('error', () => {
    // a 'close' event always follows; reconnection is handled there
  });

  sock.on('close', (code, reasonBuf) => {
    if (ws !== sock) return;
    ws = null;
    welcomed = false;
    if (finished) process.exit(0);
    const reason = reasonBuf.toString();
    if (code === 1000 || code === 1008) {
      finished = true;
      console.log(`Disconnected (${code}): ${reason}`);
      process.exit(0);
    }
    scheduleReconnect();
  });
}

function quit(): void {
  if (finished) return;
  finished = true;
  if (retryTimer !== null) clearTimeout(retryTimer);
  if (ws !== null && ws.readyState === WebSocket.OPEN) {
    ws.close(1000, 'bye'); // the 'close' handler exits when the server answers
    setTimeout(() => process.exit(0), 200);
    return;
  }
  process.exit(0); // waiting to retry or still connecting: nothing to close
}

const rl = readline.createInterface({ input: process.stdin });

rl.on('line', (line) => {
  if (name === null) {
    name = line;
    if (ws !== null && ws.readyState === WebSocket.OPEN) sendJoin(ws);
    return;
  }
  if (line === '/quit') {
    quit();
    return;
  }
  if (line === '') return;
  outbox.push(line);
  if (ws !== null && welcomed) flushOutbox(ws);
});

rl.on('close', quit);

connect();
