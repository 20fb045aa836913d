// mutant: looks at bufferedAmount right after sending instead of before: a reader is closed for the one large message on its way to it
// fails: before-send
// message: /(could not send .*not open|closed first \(code 1013\)).*right after sending it one large message.*before sending/s
// passes: fan-out
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

function tooSlow(client: WebSocket): void {
  client.close(1013, 'too slow');
  const timer = setTimeout(() => client.terminate(), 1000);
  client.once('close', () => clearTimeout(timer));
}

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      client.send(data, { binary: isBinary });
      // "Did that push it over?"
      if (client.bufferedAmount > maxBufferedBytes) tooSlow(client);
    }
  });
});
