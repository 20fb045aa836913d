// mutant: closes a slow client with the normal code 1000 instead of 1013
// fails: closes-slow
// message: /closed with code 1000, not 1013.*1013 \(Try Again Later\)/s
// passes: fast-clients, cuts-silent, memory
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > maxBufferedBytes) {
        client.close(1000, 'you are too slow');
        const timer = setTimeout(() => client.terminate(), 1000);
        client.once('close', () => clearTimeout(timer));
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
