// Lesson 05 · Broadcast, and a server that talks: every message goes back to its sender as
// "You said: m" and to everyone else as "Someone says: m"; every line typed in the server's
// terminal goes to everyone as "Server: line".
import { createInterface } from 'node:readline';
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

const clients = new Set<WebSocket>();

/** Sends `text` to every open connection except `except` (the sender, when there is one). */
function broadcast(text: string, except?: WebSocket): void {
  for (const client of clients) {
    // A client that is leaving stays in the set until its 'close' event: skip it, go on with the others.
    if (client === except || client.readyState !== WebSocket.OPEN) continue;
    client.send(text);
  }
}

wss.on('listening', () => console.log(`Broadcast server listening on ws://localhost:${port}. Type a line to send it to everyone.`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

wss.on('connection', (socket: WebSocket) => {
  clients.add(socket);
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));
  socket.on('close', () => clients.delete(socket));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return; // this lesson relays text only
    const text = data.toString();
    socket.send(`You said: ${text}`);
    broadcast(`Someone says: ${text}`, socket);
  });
});

// The terminal is one more source of events: readline calls back once per line typed, and the
// event loop goes on serving clients in between. (Nothing here waits for the keyboard.)
const terminal = createInterface({ input: process.stdin });
terminal.on('line', (line) => broadcast(`Server: ${line}`));
