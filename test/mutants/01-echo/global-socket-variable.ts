// mutant: the socket is kept in one module-level variable, so the newest client gets everyone's replies
// fails: two-clients
// message: /meant for another client/
// passes: replies, burst
// breaks: "Clients are independent: a client never receives a reply meant for another" (two clients talking at once)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

let socket: WebSocket;

function reply(text: string) {
  socket.send(`Echo: ${text}`);
}

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

wss.on('connection', (ws: WebSocket) => {
  socket = ws;
  ws.on('error', (err) => console.error('Client error:', err.message));
  ws.on('message', (data) => reply(data.toString()));
});
