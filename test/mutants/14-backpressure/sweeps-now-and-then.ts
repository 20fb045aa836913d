// mutant: looks for slow clients on a timer every 100 ms instead of before each send: in between, it keeps sending to a client far over the limit
// fails: closes-slow
// message: /sent dave message \d+ although at least \d+ KiB was already waiting for him/
// passes: fan-out, fast-clients
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

setInterval(() => {
  for (const client of wss.clients) {
    if (client.readyState !== WebSocket.OPEN || client.bufferedAmount <= maxBufferedBytes) continue;
    client.close(1013, 'too slow');
    const timer = setTimeout(() => client.terminate(), 1000);
    client.once('close', () => clearTimeout(timer));
  }
}, 100);

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    }
  });
});
