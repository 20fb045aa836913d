// mutant: removes a client with splice(indexOf) in both 'error' and 'close'; the second call (index -1) removes another live client
// fails: malformed-frame
// message: /carol expected .*frank checks on carol.*no longer hears the others.*splice/s
// passes: you-said, others-hear, server-lines, leaving-client, clean-disconnect
// breaks: "every other client receives `Someone says: m`" / "sent to every connected client" (after a protocol-breaking client, a healthy one stops receiving)
import { WebSocketServer, WebSocket } from 'ws';
import * as readline from 'node:readline';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const clients: WebSocket[] = [];

function removeClient(ws: WebSocket) {
  clients.splice(clients.indexOf(ws), 1);
}

function broadcast(text: string, except?: WebSocket) {
  for (const client of clients) {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

wss.on('connection', (ws: WebSocket) => {
  clients.push(ws);

  ws.on('error', (err) => {
    console.error('client error:', err.message);
    removeClient(ws);
  });
  ws.on('close', () => removeClient(ws));

  ws.on('message', (data) => {
    const text = data.toString();
    ws.send(`You said: ${text}`);
    broadcast(`Someone says: ${text}`, ws);
  });
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => broadcast(`Server: ${line}`));

console.log(`Broadcast server on ws://127.0.0.1:${PORT}; type to talk to everyone`);
