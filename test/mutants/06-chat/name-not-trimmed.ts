// mutant: checks the trimmed name for emptiness but stores the untrimmed one
// fails: trims-name
// message: /Only spaces differ: trim the name/
// passes: welcome, join-notice, broadcast
// breaks: "A client's first message is its user name, with surrounding whitespace trimmed" (`  Alice ` joins as `  Alice `)
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
      if (text.trim() === '') {
        ws.send('[Server]: Name cannot be empty.');
        return;
      }
      users.set(ws, text);
      ws.send(`[Server]: Welcome, ${text}!`);
      broadcast(`[Server]: ${text} has joined the chat.`, ws);
      return;
    }
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
