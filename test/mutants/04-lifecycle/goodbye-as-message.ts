// mutant: sends `Goodbye!` as a text message and closes with no reason
// fails: bye
// message: /close with code 1000 and no reason.*socket\.close\(1000, 'Goodbye!'\)/s
// passes: counts
// breaks: "When a client sends `bye`, close that connection with code 1000 and reason `Goodbye!`"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('connection', (ws: WebSocket) => {
  ws.send(`Welcome! Clients online: ${wss.clients.size}`);
  ws.on('error', (err) => console.error('client error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    if (text === 'count') {
      ws.send(`Clients online: ${wss.clients.size}`);
    } else if (text === 'bye') {
      ws.send('Goodbye!');
      ws.close(1000);
    } else {
      ws.send(`Unknown command: ${text}`);
    }
  });
});

console.log(`Lifecycle server on ws://127.0.0.1:${PORT}`);
