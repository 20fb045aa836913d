// mutant: announces the new count to everybody by sending the welcome to all clients
// fails: counts
// message: /another welcome when someone else connected.*new connection only/s
// breaks: "When a client connects, send it `Welcome! Clients online: N`" (only the new client gets a welcome; others get unasked messages)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('connection', (ws: WebSocket) => {
  // let everybody know how many people are here now
  for (const client of wss.clients) {
    if (client.readyState === WebSocket.OPEN) {
      client.send(`Welcome! Clients online: ${wss.clients.size}`);
    }
  }

  ws.on('error', (err) => console.error('client error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    if (text === 'count') {
      ws.send(`Clients online: ${wss.clients.size}`);
    } else if (text === 'bye') {
      ws.close(1000, 'Goodbye!');
    } else {
      ws.send(`Unknown command: ${text}`);
    }
  });
});

console.log(`Lifecycle server on ws://127.0.0.1:${PORT}`);
