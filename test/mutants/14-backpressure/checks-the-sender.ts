// mutant: looks at the sender's bufferedAmount (socket) instead of each receiver's (client): a client that never sends is never judged
// fails: memory
// message: /memory grew by \d+\.\d MiB/
// passes: fan-out, before-send, fast-clients
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    if (socket.bufferedAmount > maxBufferedBytes) {
      socket.close(1013, 'too slow');
      setTimeout(() => socket.terminate(), 1000);
      return;
    }
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    }
  });
});
