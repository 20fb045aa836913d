// Lesson 12 · A client that survives disconnections. Your starting point: lesson 07's chat
// client, already moved to the lesson 09 protocol (JSON in, tidy lines out), and already
// shaped for reconnecting: the keyboard is read once, for the whole run, and the connection is
// made by connect(), which you can call again. The TODOs are this lesson: reconnecting with
// backoff and jitter, "since", and the lines typed while offline.
import { createInterface } from 'node:readline';
import WebSocket, { type RawData } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
// TODO: read RECONNECT_BASE_MS (default 500) and RECONNECT_MAX_MS (default 8000) from process.env.

/** What the server sends (lesson 09's protocol). */
type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'joined'; name: string }
  | { type: 'left'; name: string }
  | { type: 'message'; id: number; from: string; text: string }
  | { type: 'error'; code: string; message: string };

let name: string | undefined; // The first line typed.
let socket: WebSocket | undefined; // The current connection, while there is one.
let joined = false; // The server has welcomed us on the current connection.
// TODO: more state: the highest message id printed, the number of failed attempts, the timer of
// the wait, whether the user is leaving, and the lines typed while not joined.

function connect(): void {
  const ws = new WebSocket(url);
  socket = ws;

  ws.on('open', () => {
    // TODO: after failed attempts, print "Reconnected." and reset the attempt count.
    if (name !== undefined) join(ws);
  });

  ws.on('message', (data: RawData) => receive(data));

  // A refused or broken connection gives an 'error', then a 'close': the close decides what next.
  ws.on('error', (error) => {
    console.error(`Connection error: ${error.message}`);
  });

  ws.on('close', (code, reason) => {
    socket = undefined;
    joined = false;
    // TODO: unless the user is leaving, or the server closed with 1000 or 1008, this is not the
    // end: print a line with "Reconnecting", wait (the wait grows with each failed attempt, with
    // jitter), and connect() again. A failed first connection comes here too.
    console.log(`Disconnected: ${reason.toString() || `code ${code}`}`);
    input.close();
  });
}

/** Joins as `name`. */
function join(ws: WebSocket): void {
  // TODO: after a reconnection, add "since": the highest message id printed.
  ws.send(JSON.stringify({ type: 'join', name }));
}

function receive(data: RawData): void {
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
      // TODO: now send the lines typed while offline, in order, once each.
      break;
    }
    case 'message':
      // TODO: after a reconnection the server may send a message again: print each id once.
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

/** /quit or end of input: close normally, and let Node.js exit. */
function leave(): void {
  // TODO: in the middle of a wait there is no connection to close: cancel the wait instead, and
  // make sure that nothing starts again.
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
  if (joined && socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'say', text: line }));
  // TODO: else keep the line, to send it after the next welcome.
});

input.on('close', leave);

connect();
