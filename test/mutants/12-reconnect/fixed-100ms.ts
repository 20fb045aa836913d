// mutant: reconnects after a fixed 100 ms, whatever the attempt
// fails: backs-off
// message: /attempt [34] must wait at least \d+ ms.*(must grow|doubles)/s
// passes: reconnects, queues-offline-lines
// Lesson 12 · A client that survives disconnections: lesson 07's chat client on the lesson 09
// protocol, which reconnects by itself (waiting longer after each failure, with jitter), asks
// for the messages it missed, and sends the lines typed while it was offline once it is back.
import { createInterface } from 'node:readline';
import WebSocket, { type RawData } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';

/** What the server sends (lesson 09's protocol). */
type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'joined'; name: string }
  | { type: 'left'; name: string }
  | { type: 'message'; id: number; from: string; text: string }
  | { type: 'error'; code: string; message: string };

/** Close codes after which the server does not want us back: a normal close, and a policy refusal. */
const FINAL_CLOSE_CODES = new Set([1000, 1008]);

let name: string | undefined; // The first line typed; sent again at every join.
let socket: WebSocket | undefined; // The current connection, while there is one.
let joined = false; // The server has welcomed us on the current connection.
let lastId = 0; // The highest message id printed: "since" when we join again.
let attempt = 0; // Failed attempts in a row, since the last successful connection.
let retry: NodeJS.Timeout | undefined; // The wait before the next attempt.
let leaving = false; // /quit or end of input: nothing may start again.
/** Lines typed while not joined, in order: sent right after the next welcome. */
const outbox: string[] = [];

/** The wait before attempt n: BASE_MS x 2^(n-1), capped at MAX_MS, then shortened by up to half at random. */
function backoff(_n: number): number {
  // A tenth of a second is quick enough for anybody.
  return 100;
}

function connect(): void {
  const ws = new WebSocket(url);
  socket = ws;
  let problem = '';

  ws.on('open', () => {
    if (attempt > 0) console.log('Reconnected.');
    attempt = 0;
    if (name !== undefined) join(ws);
  });

  ws.on('message', (data: RawData) => receive(ws, data));

  // A refused or broken connection gives an 'error', then a 'close': the close decides what next.
  ws.on('error', (error) => {
    problem = error.message;
  });

  ws.on('close', (code, reason) => {
    socket = undefined;
    joined = false;
    if (leaving) return;
    if (FINAL_CLOSE_CODES.has(code)) {
      console.log(`Disconnected by the server: ${reason.toString() || `code ${code}`}`);
      input.close();
      return;
    }
    attempt++;
    const wait = backoff(attempt);
    console.log(`Connection lost (${problem || `code ${code}`}). Reconnecting in ${Math.round(wait)} ms…`);
    retry = setTimeout(connect, wait);
  });
}

/** Joins as `name`; after the first time, with `since` so that the server sends what we missed. */
function join(ws: WebSocket): void {
  ws.send(JSON.stringify(lastId > 0 ? { type: 'join', name, since: lastId } : { type: 'join', name }));
}

function receive(ws: WebSocket, data: RawData): void {
  let message: ServerMessage;
  try {
    message = JSON.parse(data.toString()) as ServerMessage;
  } catch {
    return; // Not JSON: not a message of our protocol.
  }
  switch (message.type) {
    case 'welcome': {
      joined = true;
      const others = message.users.length > 0 ? ` With you: ${message.users.join(', ')}.` : '';
      console.log(`Welcome, ${message.name}!${others}`);
      // The lines typed while offline go now, in order, once each.
      for (const text of outbox.splice(0)) ws.send(JSON.stringify({ type: 'say', text }));
      break;
    }
    case 'message':
      // A message sent again (after a reconnection) is printed once: ids only grow.
      if (message.id <= lastId) return;
      lastId = message.id;
      console.log(`[${message.from}] ${message.text}`);
      break;
    case 'joined':
      console.log(`* ${message.name} joined`);
      break;
    case 'left':
      console.log(`* ${message.name} left`);
      break;
    case 'error':
      console.log(`! ${message.message}`);
      break;
  }
}

/** /quit or end of input: close normally if connected, stop any wait, and let Node.js exit. */
function leave(): void {
  if (leaving) return;
  leaving = true;
  clearTimeout(retry);
  socket?.close(1000);
  input.close();
}

// One keyboard for every connection: the input is read from the start, whatever the network does.
const input = createInterface({ input: process.stdin });

input.on('line', (line) => {
  if (name === undefined) {
    if (line.trim() === '') return;
    name = line;
    if (socket?.readyState === WebSocket.OPEN) join(socket);
    return;
  }
  if (line === '/quit') return leave();
  if (line.trim() === '') return;
  // Sent once, now if we can, else after the next welcome. Never sent again: see the lesson's text.
  if (joined && socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'say', text: line }));
  else outbox.push(line);
});

input.on('close', leave);

connect();
