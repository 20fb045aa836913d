// mutant: trims every message before matching commands and before echoing unknown ones
// fails: unknown-command
// message: /"Unknown command:   two  spaces.*trimmed it/s
// passes: counts, bye
// breaks: "Any other message `m`: reply `Unknown command: m`" (`count ` is another message, and m is echoed unchanged)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('connection', (ws: WebSocket) => {
  ws.send(`Welcome! Clients online: ${wss.clients.size}`);
  ws.on('error', (err) => console.error('client error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString().trim();
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
