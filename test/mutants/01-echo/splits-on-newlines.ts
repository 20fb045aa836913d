// mutant: echoes line by line (like a TCP echo server), so a message containing newlines gets several replies
// fails: whole-message
// message: /kept only its first line.*arrives whole/s
// passes: replies, empty-message, burst
// breaks: "For every text message `m` from a client, reply to that client with `Echo: m`" (one reply per message, m whole)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('Client error:', err.message));

  ws.on('message', (data) => {
    for (const line of data.toString().split(/\r?\n/)) {
      ws.send(`Echo: ${line}`);
    }
  });
});
