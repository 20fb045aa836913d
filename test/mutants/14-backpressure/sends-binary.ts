// mutant: passes the Buffer on as it came: ws sends a Buffer as a binary frame, so text arrives as binary
// fails: fan-out
// message: /binary frame.*isBinary/s
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > maxBufferedBytes) {
        client.close(1013, 'too slow');
        setTimeout(() => client.terminate(), 1000);
        continue;
      }
      client.send(data);
    }
  });
});
