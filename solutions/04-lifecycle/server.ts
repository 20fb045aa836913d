// Lesson 04 · Connections and disconnections: greets each client with how many are online,
// answers "count", says goodbye on "bye", and forgets every connection that ends.
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

// Every connection, from its 'connection' event to its 'close' event.
const clients = new Set<WebSocket>();

/**
 * The connections that are open right now. A socket leaves the set only at its 'close' event,
 * which comes after the close handshake has finished; while the handshake is under way the
 * socket is CLOSING, no longer OPEN, and must not be counted.
 */
function clientsOnline(): number {
  let open = 0;
  for (const client of clients) if (client.readyState === WebSocket.OPEN) open += 1;
  return open;
}

wss.on('listening', () => console.log(`Lifecycle server listening on ws://localhost:${port}`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

wss.on('connection', (socket: WebSocket) => {
  clients.add(socket); // first, so the welcome counts the newcomer too
  console.log(`A client connected (${clientsOnline()} online)`);
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  // 'close' fires once for every connection that ends: a close handshake, a dropped TCP
  // connection, a protocol error. The one place to forget a client.
  socket.on('close', (code: number) => {
    clients.delete(socket);
    console.log(`A client left with code ${code} (${clientsOnline()} online)`);
  });

  socket.send(`Welcome! Clients online: ${clientsOnline()}`);

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return; // commands are text
    const command = data.toString();
    if (command === 'count') socket.send(`Clients online: ${clientsOnline()}`);
    else if (command === 'bye') socket.close(1000, 'Goodbye!');
    else socket.send(`Unknown command: ${command}`);
  });
});
