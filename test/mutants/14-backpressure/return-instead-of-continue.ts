// mutant: stops the fan-out loop (return) at the first slow client, so clients after it in the Set miss the message
// breaks: "The others keep receiving every message, in order."
// fails: fast-clients
// message: /never arrived/
// (written from the contract alone, by someone who had not seen the checks)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const MAX_BUFFERED_BYTES = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);

const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

// A client that cannot keep up: ask it to go away (1013 = try again later),
// and cut the TCP connection if the close handshake has not finished in 1 s.
function dropSlow(client: WebSocket): void {
  client.close(1013, 'too slow');
  const timer = setTimeout(() => client.terminate(), 1000);
  client.once('close', () => clearTimeout(timer));
}

wss.on('connection', (ws) => {
  ws.on('error', (err) => console.error('client error:', err.message));

  ws.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
        dropSlow(client);
        return;
      }
      client.send(data, { binary: isBinary });
    }
  });
});

wss.on('listening', () => console.log(`backpressure hub on ws://127.0.0.1:${PORT}`));
