// mutant: tests for the empty name before trimming, so a whitespace-only name is accepted as ""
// fails: blank-name
// message: /blank name was let in/
// passes: welcome, join-notice, trims-name, broadcast
// breaks: "If the name is empty after trimming, reply `[Server]: Name cannot be empty.` and keep waiting for a name"
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
    if (!users.has(ws)) {
      if (text === '') {
        ws.send('[Server]: Name cannot be empty.');
        return;
      }
      const name = text.trim();
      users.set(ws, name);
      ws.send(`[Server]: Welcome, ${name}!`);
      broadcast(`[Server]: ${name} has joined the chat.`, ws);
      return;
    }
    broadcast(`[${users.get(ws)}]: ${text}`, ws);
  });

  ws.on('close', () => {
    if (!users.has(ws)) return;
    const name = users.get(ws);
    users.delete(ws);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});

console.log(`Chat server on ws://127.0.0.1:${PORT}`);
