// mutant: reads MAX_BUFFERED_BYTES but never looks at bufferedAmount: a client that never reads gets everything queued in the server's memory
// fails: memory
// message: /memory grew by \d+\.\d MiB.*carol read nothing.*bufferedAmount/s
// passes: fan-out, before-send, fast-clients, serves-after
import { WebSocketServer, WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port });
console.log(`Hub on ${port}, limit ${maxBufferedBytes} bytes`);

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
    }
  });
});
