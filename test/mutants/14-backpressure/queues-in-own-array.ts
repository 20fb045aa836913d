// mutant: parks a slow client's messages in its own per-client array and drips them out later, instead of closing it; memory grows without bound
// breaks: "that client is too slow: close it with `1013`"
// fails: memory
// message: /resident memory grew/
// (written from the contract alone, by someone who had not seen the checks)
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const MAX_BUFFERED_BYTES = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);

const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

// Messages waiting for a slow client; flushed when its buffer has room again.
const backlog = new Map<WebSocket, { data: RawData; isBinary: boolean }[]>();
setInterval(() => {
  for (const [client, queue] of backlog) {
    if (client.readyState !== WebSocket.OPEN) {
      backlog.delete(client);
      continue;
    }
    while (queue.length > 0 && client.bufferedAmount <= MAX_BUFFERED_BYTES) {
      const m = queue.shift()!;
      client.send(m.data, { binary: m.isBinary });
    }
    if (queue.length === 0) backlog.delete(client);
  }
}, 50);

wss.on('connection', (ws) => {
  ws.on('error', (err) => console.error('client error:', err.message));

  ws.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      const queue = backlog.get(client);
      if (queue || client.bufferedAmount > MAX_BUFFERED_BYTES) {
        // too slow right now: keep its messages for later instead of losing them
        if (queue) queue.push({ data, isBinary });
        else backlog.set(client, [{ data, isBinary }]);
        continue;
      }
      client.send(data, { binary: isBinary });
    }
  });
});

wss.on('listening', () => console.log(`backpressure hub on ws://127.0.0.1:${PORT}`));
