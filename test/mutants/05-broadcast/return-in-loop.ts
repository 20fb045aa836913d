// mutant: skips a closing client with `return` inside the for...of loop, ending the whole broadcast there
// fails: leaving-client
// message: /bob expected the text message "Someone says: is carol still here\?".*nothing arrived.*CLOSING.*`continue`/s
// passes: you-said, others-hear, not-to-sender, server-lines
import { createInterface } from 'node:readline';
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

function broadcast(text: string, except?: WebSocket): void {
  for (const client of clients) {
    if (client.readyState !== WebSocket.OPEN) return;
    if (client !== except) client.send(text);
  }
}

wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('error', console.error);
  socket.on('close', () => clients.delete(socket));
  socket.on('message', (data) => {
    socket.send(`You said: ${data}`);
    broadcast(`Someone says: ${data}`, socket);
  });
});
createInterface({ input: process.stdin }).on('line', (line) => broadcast(`Server: ${line}`));
