// mutant: anti-spam limit of 5 messages per second per user drops the rest
// fails: sender-order
// message: /Only 5 of Mia's 30 lines came through.*nothing dropped/s
// passes: welcome, join-notice, broadcast
// breaks: "Load: 50 joined users each sending 10 messages: every one of the 24,500 deliveries arrives"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const users = new Map<WebSocket, string>();

const LIMIT = 5; // messages per second
const recent = new Map<WebSocket, number[]>();

function allowed(ws: WebSocket): boolean {
  const now = Date.now();
  const times = (recent.get(ws) ?? []).filter((t) => now - t < 1000);
  if (times.length >= LIMIT) {
    recent.set(ws, times);
    return false;
  }
  times.push(now);
  recent.set(ws, times);
  return true;
}

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
    if (!allowed(ws)) return; // flooding, ignore
    broadcast(`[${name}]: ${text}`, ws);
  });

  ws.on('close', () => {
    recent.delete(ws);
    const name = users.get(ws);
    if (name === undefined) return;
    users.delete(ws);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});

console.log(`Chat server on ws://127.0.0.1:${PORT}`);
