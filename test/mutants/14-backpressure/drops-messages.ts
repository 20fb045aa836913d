// mutant: drops a slow client's messages silently instead of closing it: when it reads again, it has a hole
// fails: closes-slow
// message: /dave expected message \d+ of the flood.*messages \d+ to \d+ never arrived.*hole in his stream/s
// passes: fast-clients, memory, serves-after
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      // Too far behind: it will not miss this one much.
      if (client.bufferedAmount > maxBufferedBytes) continue;
      client.send(data, { binary: isBinary });
    }
  });
});
