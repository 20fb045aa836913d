// mutant: the broadcast loop forgets to skip the sender, who gets both lines
// fails: not-to-sender
// message: /[Ss]ender included in a broadcast: alice received alice's own message back/
// passes: you-said, server-lines
// breaks: "that client receives `You said: m` and every other client receives `Someone says: m`" (the sender is not an "other" client)
import { WebSocketServer, WebSocket } from 'ws';
import * as readline from 'node:readline';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

function broadcast(text: string) {
  for (const client of wss.clients) {
    if (client.readyState === WebSocket.OPEN) client.send(text);
  }
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('client error:', err.message));
  ws.on('message', (data) => {
    const text = data.toString();
    ws.send(`You said: ${text}`);
    broadcast(`Someone says: ${text}`);
  });
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => broadcast(`Server: ${line}`));

console.log(`Broadcast server on ws://127.0.0.1:${PORT}; type to talk to everyone`);
