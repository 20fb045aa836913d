// mutant: when one client is too slow, tells every client to come back later: the ones that keep up are closed too
// fails: fast-clients
// message: /connection closed \(code 1013\) after \d+ of the \d+ messages.*Close only the slow client/s
// passes: fan-out, before-send
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

/** The hub is overloaded: everyone, try again later. */
function overloaded(): void {
  for (const client of wss.clients) {
    client.close(1013, 'overloaded, try again later');
    setTimeout(() => client.terminate(), 1000);
  }
}

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > maxBufferedBytes) {
        overloaded();
        return;
      }
      client.send(data, { binary: isBinary });
    }
  });
});
