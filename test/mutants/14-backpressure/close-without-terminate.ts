// mutant: closes a slow client with 1013 but never terminates it: a client that does not read never answers the close
// fails: cuts-silent
// message: /still held carol's connection 2\.0 s after.*never reads your close frame.*terminate\(\)/s
// passes: fast-clients, closes-slow, memory, serves-after
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > maxBufferedBytes) {
        client.close(1013, 'too slow'); // "ws closes it for me"
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
