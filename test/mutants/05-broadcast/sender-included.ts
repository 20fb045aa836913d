// mutant: broadcasts "Someone says" to every client, the sender included
// fails: not-to-sender
// message: /expected the message "Someone says: hi, I am bob".*text "Someone says: hi, I am alice".*[Ss]ender included in a broadcast/s
// passes: you-said
import { createInterface } from 'node:readline';
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

function broadcast(text: string): void {
  for (const client of clients) if (client.readyState === WebSocket.OPEN) client.send(text);
}

wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('error', console.error);
  socket.on('close', () => clients.delete(socket));
  socket.on('message', (data) => {
    socket.send(`You said: ${data}`);
    broadcast(`Someone says: ${data}`);
  });
});
createInterface({ input: process.stdin }).on('line', (line) => broadcast(`Server: ${line}`));
