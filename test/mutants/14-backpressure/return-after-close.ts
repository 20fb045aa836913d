// mutant: ends the whole loop with return after closing a slow client: the clients after it in the set miss that message
// fails: fast-clients
// message: /erin expected message \d+ of the flood.*messages \d+ to \d+ never arrived/s
// passes: fan-out, before-send
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > maxBufferedBytes) {
        client.close(1013, 'too slow');
        setTimeout(() => client.terminate(), 1000);
        return;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
