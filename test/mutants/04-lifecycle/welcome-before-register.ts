// mutant: sends the welcome before adding the new client to its set, so the welcome count is one short
// fails: counts
// message: /newcomer counts too/
// breaks: "send it `Welcome! Clients online: N`, where N counts the open connections, the new one included"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const clients = new Set<WebSocket>();

wss.on('connection', (ws: WebSocket) => {
  ws.send(`Welcome! Clients online: ${clients.size}`);
  clients.add(ws);

  ws.on('error', (err) => console.error('client error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    switch (text) {
      case 'count':
        ws.send(`Clients online: ${clients.size}`);
        break;
      case 'bye':
        ws.close(1000, 'Goodbye!');
        break;
      default:
        ws.send(`Unknown command: ${text}`);
    }
  });

  ws.on('close', () => clients.delete(ws));
});

console.log(`Lifecycle server on ws://127.0.0.1:${PORT}`);
