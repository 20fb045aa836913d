// mutant: trims the message before uppercasing it
// fails: whole-message
// message: /trimmed it/
// passes: replies, empty-message, unicode, burst
// breaks: "For every text message `m`, reply with `m.toUpperCase()`" (whitespace around m must survive)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('socket error', err.message));
  ws.on('message', (data) => {
    const input = data.toString().trim();
    ws.send(input.toUpperCase());
  });
});
