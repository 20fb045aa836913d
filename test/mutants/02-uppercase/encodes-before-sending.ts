// mutant: encodes the reply to UTF-8 bytes before sending, which makes it a binary frame
// fails: replies
// message: /binary frame.*isBinary/s
// breaks: "Replies in lessons 01-08 are text frames"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const encoder = new TextEncoder();

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('socket error', err.message));
  ws.on('message', (data) => {
    const upper = data.toString().toUpperCase();
    // WebSockets carry bytes, so encode as UTF-8 to be safe with emoji
    ws.send(encoder.encode(upper));
  });
});
