// Lesson 05 · Broadcast, and a server that talks
// Answer the sender with "You said: m", tell every other client "Someone says: m", and send
// every line typed in this server's terminal to every client as "Server: <line>".
// Run `npm run lesson 5` to read the lesson, `npm run check -- 5` to check your work.
import { createInterface } from 'node:readline';
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

// The connections this server knows about.
const clients = new Set<WebSocket>();

// Sends `text` to every client except `except`.
function broadcast(text: string, except?: WebSocket): void {
  // TODO 3: loop over `clients` and send `text` to each one that is not `except`.
  //         Skip a client whose readyState is not WebSocket.OPEN (it is leaving), and
  //         go on with the others.
  console.log(`Not sent yet, to ${clients.size} clients${except ? ' minus the sender' : ''}: ${text}`);
}

wss.on('listening', () => console.log(`Broadcast server listening on ws://localhost:${port}`));

wss.on('connection', (socket: WebSocket) => {
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  // TODO 1: add the socket to `clients`, and remove it again when it closes.

  // TODO 2: for every text message m, send "You said: m" to this socket,
  //         and broadcast "Someone says: m" to everyone else.
});

// The server's terminal: readline calls back once per line, without blocking the server.
const terminal = createInterface({ input: process.stdin });
terminal.on('line', (line) => {
  // TODO 4: every line goes to every client as "Server: <line>".
  broadcast(line);
});
