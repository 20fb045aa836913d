// mutant: copied from lesson 01 and kept the `Echo: ` prefix
// fails: replies
// message: /no prefix.*lesson 01/s
// breaks: "reply with `m.toUpperCase()` ... No prefix."
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('socket error', err.message));
  ws.on('message', (data) => {
    ws.send(`Echo: ${data.toString().toUpperCase()}`);
  });
});
