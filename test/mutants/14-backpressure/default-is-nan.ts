// mutant: converts with Number() before giving the default: unset, Number(undefined) is NaN, ?? keeps it, and no queue is ever more than NaN
// fails: closes-slow
// message: /sent dave message \d+ although at least \d+ KiB was already waiting for him, more than MAX_BUFFERED_BYTES \(1024 KiB\).*Number\(process\.env\.MAX_BUFFERED_BYTES \?\? 1024 \* 1024\)/s
// passes: fan-out, before-send, fast-clients
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES) ?? 1024 * 1024;
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
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
