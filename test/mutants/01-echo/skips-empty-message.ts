// mutant: ignores empty messages instead of echoing them
// fails: empty-message
// message: /"Echo: ", but nothing arrived.*empty message got no reply/s
// passes: replies, unicode, burst
// breaks: "Must work for: the empty message (reply `Echo: `)"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('Client error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    if (!text) return; // nothing to echo
    ws.send(`Echo: ${text}`);
  });
});
