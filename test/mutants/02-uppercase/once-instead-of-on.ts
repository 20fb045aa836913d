// mutant: listens with ws.once('message'), so only the first message is answered
// fails: burst
// message: /\"MESSAGE 2\", but nothing arrived.*answered alice's earlier message.*socket\.once/s
// passes: replies, empty-message
// breaks: "For every text message `m`, reply with `m.toUpperCase()`" (a burst of 100 gets one reply)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));

wss.on('connection', (ws: WebSocket) => {
  ws.once('error', (err) => console.error('socket error', err.message));
  ws.once('message', (data) => {
    ws.send(data.toString().toUpperCase());
  });
});
