// mutant: announces the departure in both the 'error' and the 'close' handler
// fails: leave-after-error
// message: /\"\[Server\]: Dara has joined the chat\.\".*announced twice.*'close' handler/s
// passes: leave-clean, leave-abrupt, unjoined-silent
// breaks: "When a joined user disconnects ..., every remaining joined user receives `[Server]: Alice has left the chat.`" (once, not twice after a protocol error)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const users = new Map<WebSocket, string>();

function broadcast(text: string, except?: WebSocket) {
  for (const client of users.keys()) {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

function leave(ws: WebSocket) {
  const name = users.get(ws);
  if (name === undefined) return;
  broadcast(`[Server]: ${name} has left the chat.`, ws);
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => {
    console.error('connection error:', err.message);
    leave(ws);
  });

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
    broadcast(`[${name}]: ${text}`, ws);
  });

  ws.on('close', () => {
    leave(ws);
    users.delete(ws);
  });
});

console.log(`Chat server on ws://127.0.0.1:${PORT}`);
