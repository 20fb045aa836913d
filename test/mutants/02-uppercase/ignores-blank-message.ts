// mutant: does not answer empty or whitespace-only messages
// fails: empty-message
// message: /empty message got no reply/
// passes: replies, unicode, burst
// breaks: "Same robustness list as 01" (the empty message must get a reply: the empty string)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('socket error', err.message));
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.trim().length === 0) return; // nothing to shout
    ws.send(text.toUpperCase());
  });
});
