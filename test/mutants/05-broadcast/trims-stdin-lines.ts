// mutant: trims each line typed on the server console
// fails: server-lines
// message: /"Server:   <i>indented.*trimmed it/s
// passes: you-said, others-hear, not-to-sender
// breaks: "Every line typed on the server's standard input is sent to every connected client as `Server: <line>`" (the line as typed)
import { WebSocketServer, WebSocket } from 'ws';
import * as readline from 'node:readline';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

function broadcast(text: string, except?: WebSocket) {
  wss.clients.forEach((client) => {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  });
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('client error:', err.message));
  ws.on('message', (data) => {
    const text = data.toString();
    ws.send(`You said: ${text}`);
    broadcast(`Someone says: ${text}`, ws);
  });
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => broadcast(`Server: ${line.trim()}`));

console.log(`Broadcast server on ws://127.0.0.1:${PORT}; type to talk to everyone`);
