// mutant: hard-codes the limit at 1 MiB instead of reading MAX_BUFFERED_BYTES
// fails: reads-limit
// message: /sent dave message \d+ although .* more than MAX_BUFFERED_BYTES \(256 KiB\).*process\.env\.MAX_BUFFERED_BYTES/s
// passes: fan-out, before-send, fast-clients, closes-slow, cuts-silent, memory
import { WebSocketServer, WebSocket } from 'ws';

const MAX_BUFFERED_BYTES = 1024 * 1024;
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
        client.close(1013, 'too slow');
        const timer = setTimeout(() => client.terminate(), 1000);
        client.once('close', () => clearTimeout(timer));
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
