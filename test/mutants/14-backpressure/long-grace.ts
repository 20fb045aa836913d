// mutant: gives a slow client five seconds to answer the close frame before terminating it
// fails: cuts-silent
// message: /still held carol's connection 2\.0 s after/
// passes: fast-clients, closes-slow, memory
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const CLOSE_TIMEOUT_MS = 5000;
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > maxBufferedBytes) {
        client.close(1013, 'too slow');
        const timer = setTimeout(() => client.terminate(), CLOSE_TIMEOUT_MS);
        client.once('close', () => clearTimeout(timer));
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
