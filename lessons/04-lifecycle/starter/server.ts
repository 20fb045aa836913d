// Lesson 04 · Connections and disconnections
// Greet every client with the number of clients online, answer "count", close the
// connection on "bye", and stop counting every connection that ends.
// Run `npm run lesson 4` to read the lesson, `npm run check -- 4` to check your work.
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

// The connections this server knows about.
const clients = new Set<WebSocket>();

// How many clients are online right now.
function clientsOnline(): number {
  // TODO 4: count only the sockets that are open right now (readyState === WebSocket.OPEN).
  //         A socket whose close handshake has started is CLOSING: it is leaving, not online.
  return clients.size;
}

wss.on('listening', () => console.log(`Lifecycle server listening on ws://localhost:${port}`));

wss.on('connection', (socket: WebSocket) => {
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  // TODO 1: add the socket to `clients`, then send it "Welcome! Clients online: N"
  //         (N includes this new client).

  // TODO 2: when the socket closes (listen for 'close'), remove it from `clients`.

  // TODO 3: listen for messages:
  //         "count" -> reply "Clients online: N"
  //         "bye"   -> close this connection with code 1000 and reason "Goodbye!"
  //         anything else, m -> reply "Unknown command: m"
  console.log(`A client connected; ${clientsOnline()} known`);
});
