// mutant: keeps MAX_BUFFERED_BYTES as the string it is in process.env and adds slack to it ("262144" + 65536 is "26214465536", so a set limit is never reached)
// fails: reads-limit
// message: /sent dave message \d+ although at least \d+ KiB .*more than MAX_BUFFERED_BYTES \(256 KiB\).*as a number/s
// passes: fan-out, before-send, fast-clients, memory
import { WebSocketServer, WebSocket } from 'ws';

// Room for one large message on top of the limit, so that one big message alone does not close a client.
const SLACK = 64 * 1024;
const maxBufferedBytes: any = process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024;
const closeAbove = maxBufferedBytes + SLACK;
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > closeAbove) {
        client.close(1013, 'too slow');
        const timer = setTimeout(() => client.terminate(), 1000);
        client.once('close', () => clearTimeout(timer));
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
