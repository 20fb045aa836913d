// mutant: skips the sender, as the chat lessons did: here the sender gets its own message too
// fails: fan-out
// message: /alice expected the text message "alice is here".*nothing arrived.*sender gets its own message too/s
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client === socket || client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > maxBufferedBytes) {
        client.close(1013, 'too slow');
        setTimeout(() => client.terminate(), 1000);
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
