// mutant: a "two-way chat" habit: lines typed on the server go only to the latest connection
// fails: server-lines
// message: /Only \w+ got the line.*every connected client/s
// passes: you-said, others-hear, not-to-sender
import { createInterface } from 'node:readline';
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();
let latest: WebSocket | undefined;

wss.on('connection', (socket) => {
  clients.add(socket);
  latest = socket;
  socket.on('error', console.error);
  socket.on('close', () => clients.delete(socket));
  socket.on('message', (data) => {
    socket.send(`You said: ${data}`);
    for (const client of clients) if (client !== socket && client.readyState === WebSocket.OPEN) client.send(`Someone says: ${data}`);
  });
});
createInterface({ input: process.stdin }).on('line', (line) => latest?.send(`Server: ${line}`));
