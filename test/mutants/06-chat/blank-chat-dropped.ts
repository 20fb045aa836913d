// mutant: drops empty and whitespace-only chat messages instead of relaying them
// fails: broadcast
// message: /"\[Judy\]: ", but nothing arrived.*empty message was not passed on.*Only a name is refused/s
// passes: welcome, join-notice, blank-name, trims-name
// breaks: "Every later message `m` from Alice is sent to every other joined user as `[Alice]: m`" (the empty message too: `[Alice]: `)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const users = new Map<WebSocket, string>();

function broadcast(text: string, except?: WebSocket) {
  for (const client of users.keys()) {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('connection error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    const name = users.get(ws);
    if (name === undefined) {
      const wanted = text.trim();
      if (wanted === '') {
        ws.send('[Server]: Name cannot be empty.');
        return;
      }
      users.set(ws, wanted);
      ws.send(`[Server]: Welcome, ${wanted}!`);
      broadcast(`[Server]: ${wanted} has joined the chat.`, ws);
      return;
    }
    if (text.trim() === '') return; // nothing worth sending
    broadcast(`[${name}]: ${text}`, ws);
  });

  ws.on('close', () => {
    const name = users.get(ws);
    if (name === undefined) return;
    users.delete(ws);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});

console.log(`Chat server on ws://127.0.0.1:${PORT}`);
