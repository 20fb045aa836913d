// mutant: HTML-escapes client messages before passing them on
// fails: others-hear
// message: /escaped its HTML.*exactly as it came/s
// passes: you-said, server-lines
// breaks: "that client receives `You said: m` and every other client receives `Someone says: m`" (m passed on unchanged)
import { WebSocketServer, WebSocket } from 'ws';
import * as readline from 'node:readline';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

function sanitize(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function broadcast(text: string, except?: WebSocket) {
  wss.clients.forEach((client) => {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  });
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('client error:', err.message));
  ws.on('message', (data) => {
    const text = sanitize(data.toString()); // never trust user input
    ws.send(`You said: ${text}`);
    broadcast(`Someone says: ${text}`, ws);
  });
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => broadcast(`Server: ${line}`));

console.log(`Broadcast server on ws://127.0.0.1:${PORT}; type to talk to everyone`);
