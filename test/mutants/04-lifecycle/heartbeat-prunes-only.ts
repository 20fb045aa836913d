// mutant: keeps its own set of live clients and only prunes it in a 5-second heartbeat sweep
// fails: uncounts
// message: /still counted 2 clients online.*[Cc]losed client not removed/s
// passes: counts, bye, unknown-command
// breaks: "A connection that closes, cleanly or abruptly, stops being counted within one second"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

const alive = new Set<WebSocket>();
const answered = new WeakSet<WebSocket>();

// heartbeat: drop clients that are gone or did not answer the last ping
setInterval(() => {
  for (const client of alive) {
    if (client.readyState !== WebSocket.OPEN || !answered.has(client)) {
      alive.delete(client);
      client.terminate();
      continue;
    }
    answered.delete(client);
    client.ping();
  }
}, 5000);

wss.on('connection', (ws: WebSocket) => {
  alive.add(ws);
  answered.add(ws);
  ws.on('pong', () => answered.add(ws));
  ws.send(`Welcome! Clients online: ${alive.size}`);

  ws.on('error', (err) => console.error('client error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    if (text === 'count') {
      ws.send(`Clients online: ${alive.size}`);
    } else if (text === 'bye') {
      ws.close(1000, 'Goodbye!');
    } else {
      ws.send(`Unknown command: ${text}`);
    }
  });
});

console.log(`Lifecycle server on ws://127.0.0.1:${PORT}`);
