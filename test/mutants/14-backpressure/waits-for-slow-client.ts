// mutant: "slows the publisher": before sending to a client that is over the limit, waits until its queue has drained, so every message waits for the slowest client
// fails: fast-clients
// message: /Nothing arrived for \d\.\d s|waited \d+ ms for message/
// passes: fan-out, before-send
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

// One message at a time, in order, for everyone.
let queue: Promise<void> = Promise.resolve();

async function publish(data: RawData, isBinary: boolean): Promise<void> {
  for (const client of wss.clients) {
    while (client.readyState === WebSocket.OPEN && client.bufferedAmount > maxBufferedBytes) await sleep(10);
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
  }
}

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    queue = queue.then(() => publish(data, isBinary));
  });
});
