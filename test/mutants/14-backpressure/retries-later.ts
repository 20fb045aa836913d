// mutant: instead of closing a slow client, retries each message for it later with setTimeout: the retries, each holding its message, pile up
// fails: memory
// message: /memory grew by \d+\.\d MiB/
// passes: fan-out, before-send, fast-clients
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

/** Sends now if there is room, else tries again in a moment. */
function sendWhenThereIsRoom(client: WebSocket, data: RawData, isBinary: boolean): void {
  if (client.readyState !== WebSocket.OPEN) return;
  if (client.bufferedAmount > maxBufferedBytes) {
    setTimeout(() => sendWhenThereIsRoom(client, data, isBinary), 100);
    return;
  }
  client.send(data, { binary: isBinary });
}

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) sendWhenThereIsRoom(client, data, isBinary);
  });
});
