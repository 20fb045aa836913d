// mutant: sends "You said: m" to every client instead of "Someone says: m" to the others
// fails: others-hear
// message: /expected the message "Someone says: hi, I am bob".*Only the sender gets "You said: m"/s
// passes: you-said
import { createInterface } from 'node:readline';
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

function sendToAll(text: string): void {
  wss.clients.forEach((client) => {
    if (client.readyState === WebSocket.OPEN) client.send(text);
  });
}

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => sendToAll(`You said: ${data}`));
});
createInterface({ input: process.stdin }).on('line', (line) => sendToAll(`Server: ${line}`));
