// mutant: counts the bytes it has sent each client and closes it past MAX_BUFFERED_BYTES, as if sent meant still queued: clients that read are closed too
// fails: fast-clients
// message: /connection closed \(code 1013\) after \d+ of the \d+ messages.*Close only the slow client/s
// passes: fan-out
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const queued = new Map<WebSocket, number>();

wss.on('connection', (socket) => {
  queued.set(socket, 0);
  socket.on('close', () => queued.delete(socket));
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    const size = Buffer.byteLength(data as Buffer);
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      const backlog = queued.get(client) ?? 0;
      if (backlog > maxBufferedBytes) {
        client.close(1013, 'too slow');
        setTimeout(() => client.terminate(), 1000);
        continue;
      }
      client.send(data, { binary: isBinary });
      queued.set(client, backlog + size);
    }
  });
});
