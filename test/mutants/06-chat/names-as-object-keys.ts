// mutant: keeps users in a plain object keyed by name (two Alices overwrite each other; `__proto__` is never stored)
// fails: any-name
// message: /__proto__ joined, but gets nothing the others get.*Map/s
// passes: welcome, join-notice, broadcast
// breaks: "Every later message `m` from Alice is sent to every other joined user" / "every other joined user receives `... has joined the chat.`"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const users: { [name: string]: WebSocket } = {};

function broadcast(text: string, exceptName?: string) {
  for (const [name, client] of Object.entries(users)) {
    if (name !== exceptName && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

wss.on('connection', (ws: WebSocket) => {
  let name: string | null = null;
  ws.on('error', (err) => console.error('connection error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    if (name === null) {
      const wanted = text.trim();
      if (wanted === '') {
        ws.send('[Server]: Name cannot be empty.');
        return;
      }
      name = wanted;
      users[name] = ws;
      ws.send(`[Server]: Welcome, ${name}!`);
      broadcast(`[Server]: ${name} has joined the chat.`, name);
      return;
    }
    broadcast(`[${name}]: ${text}`, name);
  });

  ws.on('close', () => {
    if (name === null) return;
    delete users[name];
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});

console.log(`Chat server on ws://127.0.0.1:${PORT}`);
