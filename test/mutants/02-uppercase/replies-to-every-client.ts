// mutant: sends the uppercased reply to every connected client instead of the sender
// fails: two-clients
// message: /meant for another client/
// passes: replies, burst
// breaks: "Same robustness list as 01" (clients are independent: a client never receives a reply meant for another)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('socket error', err.message));
  ws.on('message', (data) => {
    const upper = data.toString().toUpperCase();
    wss.clients.forEach((client) => {
      if (client.readyState === WebSocket.OPEN) client.send(upper);
    });
  });
});
