// mutant: a client is added to the broadcast list only when it first sends something
// fails: others-hear
// message: /dave expected.*nothing arrived.*dave has connected and sent nothing.*not when it first sends/s
// passes: you-said
// breaks: "every other client receives `Someone says: m`" and "Every line typed ... is sent to every connected client" (silent clients get nothing)
import { WebSocketServer, WebSocket } from 'ws';
import * as readline from 'node:readline';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const clients = new Set<WebSocket>();

function broadcast(text: string, except?: WebSocket) {
  for (const client of clients) {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('client error:', err.message));
  ws.on('close', () => clients.delete(ws));
  ws.on('message', (data) => {
    clients.add(ws);
    const text = data.toString();
    ws.send(`You said: ${text}`);
    broadcast(`Someone says: ${text}`, ws);
  });
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => broadcast(`Server: ${line}`));

console.log(`Broadcast server on ws://127.0.0.1:${PORT}; type to talk to everyone`);
