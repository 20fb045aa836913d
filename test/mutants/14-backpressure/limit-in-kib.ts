// mutant: takes MAX_BUFFERED_BYTES for kibibytes (the default, 1024, times 1024): set to 262144, the limit is 256 MiB
// fails: reads-limit
// message: /sent dave message \d+ although at least \d+ KiB was already waiting for him, more than MAX_BUFFERED_BYTES \(256 KiB\)/
// passes: fan-out, before-send, fast-clients, closes-slow, cuts-silent, memory
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024) * 1024;
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
