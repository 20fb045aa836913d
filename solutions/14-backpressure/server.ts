// Lesson 14 · Slow clients and backpressure: a fan-out hub. Every text message from any client
// goes to every client, the sender included; a client that cannot keep up is closed with 1013.
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
/** How many bytes may wait in one client's queue before that client counts as too slow. */
const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
/** 1013 "Try Again Later": the server is overloaded (by this client) and asks it to come back later. */
const TRY_AGAIN_LATER = 1013;
/** How long a slow client has to answer the close frame before its connection is cut. */
const CLOSE_GRACE_MS = 1000;

const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('listening', () => console.log(`Hub listening on ws://localhost:${port} (at most ${maxBufferedBytes} bytes queued per client)`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

/**
 * Closes a client that is not reading fast enough. Its close frame waits behind everything
 * already queued for it, so a client that has stopped reading never sees it: after a grace
 * period the connection is cut without ceremony.
 */
function dropSlowClient(client: WebSocket): void {
  console.log(`Closing a slow client: ${client.bufferedAmount} bytes were waiting for it`);
  client.close(TRY_AGAIN_LATER, 'Too slow: messages were piling up');
  const cut = setTimeout(() => client.terminate(), CLOSE_GRACE_MS);
  client.once('close', () => clearTimeout(cut));
}

/** Sends a message to every open client, the sender included, unless that client has fallen too far behind. */
function publish(data: RawData, isBinary: boolean): void {
  for (const client of wss.clients) {
    if (client.readyState !== WebSocket.OPEN) continue;
    // Looked at before sending: what is still waiting from earlier messages decides.
    if (client.bufferedAmount > maxBufferedBytes) {
      dropSlowClient(client);
      continue;
    }
    client.send(data, { binary: isBinary });
  }
}

wss.on('connection', (socket: WebSocket) => {
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));
  socket.on('message', publish);
});
