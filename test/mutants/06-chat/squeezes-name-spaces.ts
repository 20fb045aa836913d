// mutant: tidies names up: trims them and also collapses the spaces inside ("Mary  Ann" joins as "Mary Ann")
// fails: any-name
// message: /"\[Server\]: Welcome, Mary  Ann!".*a name keeps the spaces inside it/s
// passes: welcome, join-notice, trims-name, broadcast
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
      // tidy the name up: no spaces around it, single spaces inside
      const wanted = text.trim().replace(/\s+/g, ' ');
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
    const name = users.get(ws);
    if (name === undefined) return;
    users.delete(ws);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});

console.log(`Chat server on ws://127.0.0.1:${PORT}`);
