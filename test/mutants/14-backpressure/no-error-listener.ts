// mutant: a correct hub without an 'error' listener on its connections: one broken frame stops the server for everyone
// fails: malformed-frame
// message: /stopped.*'error' listener/s
// passes: fan-out, fast-clients, closes-slow, memory
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > maxBufferedBytes) {
        client.close(1013, 'too slow');
        const timer = setTimeout(() => client.terminate(), 1000);
        client.once('close', () => clearTimeout(timer));
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
