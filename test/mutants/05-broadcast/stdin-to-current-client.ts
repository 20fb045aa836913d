// mutant: server console lines go only to the most recently connected client (kept in one variable)
// fails: server-lines
// message: /Only \w+ got the line.*every connected client/s
// passes: you-said, others-hear, not-to-sender
// breaks: "Every line typed on the server's standard input is sent to every connected client as `Server: <line>`"
import { WebSocketServer, WebSocket } from 'ws';
import * as readline from 'node:readline';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

let current: WebSocket | null = null;

wss.on('connection', (ws: WebSocket) => {
  current = ws;
  ws.on('error', (err) => console.error('client error:', err.message));
  ws.on('message', (data) => {
    const text = data.toString();
    ws.send(`You said: ${text}`);
    wss.clients.forEach((client) => {
      if (client !== ws && client.readyState === WebSocket.OPEN) client.send(`Someone says: ${text}`);
    });
  });
  ws.on('close', () => {
    if (current === ws) current = null;
  });
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (current && current.readyState === WebSocket.OPEN) current.send(`Server: ${line}`);
});

console.log(`Broadcast server on ws://127.0.0.1:${PORT}; type to talk to everyone`);
