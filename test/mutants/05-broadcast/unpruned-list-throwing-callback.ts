// mutant: own client list never pruned on close, and the send callback rethrows the "not open" error
// fails: clean-disconnect
// message: /stopped after a client closed its connection.*already closing or closed.*readyState/s
// passes: you-said
// breaks: "Broadcasting never fails because a client has just disconnected" (next broadcast after a disconnect crashes the server)
import { WebSocketServer, WebSocket } from 'ws';
import * as readline from 'node:readline';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const clients: WebSocket[] = [];

function sendTo(client: WebSocket, text: string) {
  client.send(text, (err) => {
    if (err) throw err;
  });
}

function broadcast(text: string, except?: WebSocket) {
  for (const client of clients) {
    if (client !== except) sendTo(client, text);
  }
}

wss.on('connection', (ws: WebSocket) => {
  clients.push(ws);
  ws.on('error', (err) => console.error('client error:', err.message));
  ws.on('message', (data) => {
    const text = data.toString();
    sendTo(ws, `You said: ${text}`);
    broadcast(`Someone says: ${text}`, ws);
  });
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => broadcast(`Server: ${line}`));

console.log(`Broadcast server on ws://127.0.0.1:${PORT}; type to talk to everyone`);
