// mutant: compares the size of each message with MAX_BUFFERED_BYTES instead of what is queued for the client
// fails: memory
// message: /memory grew by \d+\.\d MiB.*bufferedAmount/s
// passes: fan-out, fast-clients
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    const size = Buffer.byteLength(data as Buffer);
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (size > maxBufferedBytes) {
        client.close(1013, 'message too large for this client');
        setTimeout(() => client.terminate(), 1000);
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
