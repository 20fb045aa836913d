// mutant: cuts a slow client with terminate() straight away, with no close frame that says why
// fails: closes-slow
// message: /closed with code 1006, not 1013.*without a close frame/s
// passes: fast-clients, cuts-silent, memory, serves-after
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > maxBufferedBytes) {
        console.log('dropping a slow client');
        client.terminate();
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
