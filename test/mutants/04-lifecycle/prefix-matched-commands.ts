// mutant: recognizes commands with startsWith, so `countdown` or `byebye` act as commands
// fails: unknown-command
// message: /"Unknown command: counting".*Compare the whole message/s
// passes: counts
// breaks: "Any other message `m`: reply `Unknown command: m`"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('connection', (ws: WebSocket) => {
  ws.send(`Welcome! Clients online: ${wss.clients.size}`);
  ws.on('error', (err) => console.error('client error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('count')) {
      ws.send(`Clients online: ${wss.clients.size}`);
    } else if (text.startsWith('bye')) {
      ws.close(1000, 'Goodbye!');
    } else {
      ws.send(`Unknown command: ${text}`);
    }
  });
});

console.log(`Lifecycle server on ws://127.0.0.1:${PORT}`);
