// Lesson 14 · Slow clients and backpressure
// A fan-out hub: every text message from any client goes to every client, the sender included.
// It works, until one client stops reading. Make it close such a client before it eats the
// server's memory. Run `npm run lesson 14` to read the lesson, `npm run check -- 14` to check your work.
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
// TODO 1: read MAX_BUFFERED_BYTES from the environment, as a number, with the default 1 MiB
//         (1024 * 1024 bytes).

const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('listening', () => console.log(`Hub listening on ws://localhost:${port}`));

/** Sends a message to every open client, the sender included. */
function publish(data: RawData, isBinary: boolean): void {
  for (const client of wss.clients) {
    if (client.readyState !== WebSocket.OPEN) continue;
    // TODO 2: before sending, look at client.bufferedAmount. When more than MAX_BUFFERED_BYTES is
    //         already waiting for this client, it is too slow: close it with code 1013 instead of
    //         sending, and go on with the other clients.
    // TODO 3: a client that does not read never reads your close frame either. If it has not
    //         closed within one second, terminate() it.
    client.send(data, { binary: isBinary });
  }
}

wss.on('connection', (socket: WebSocket) => {
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));
  socket.on('message', publish);
});
