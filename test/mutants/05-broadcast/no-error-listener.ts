// mutant: no 'error' listener on client connections
// fails: malformed-frame
// message: /stopped after a client sent a malformed frame.*no 'error' listener/s
// passes: you-said, others-hear, not-to-sender, server-lines, leaving-client
// breaks: "A server keeps running when a client breaks the protocol ... every connection has an 'error' listener"
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
  ws.on('message', (data) => {
    const text = data.toString();
    ws.send(`You said: ${text}`);
    broadcast(`Someone says: ${text}`, ws);
  });
  ws.on('close', () => console.log('a client left'));
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => broadcast(`Server: ${line}`));

console.log(`Broadcast server on ws://127.0.0.1:${PORT}; type to talk to everyone`);
