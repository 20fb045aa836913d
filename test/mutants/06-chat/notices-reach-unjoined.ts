// mutant: join and leave notices go to every open connection, including clients that have not chosen a name
// fails: unjoined-silent
// message: /Lurker had not joined yet.*only to joined users/s
// passes: welcome, join-notice, broadcast, not-to-sender
// breaks: "A client that has not joined yet receives nothing: no chat lines, no join or leave notices"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const users = new Map<WebSocket, string>();

function sendChat(text: string, except: WebSocket) {
  for (const client of users.keys()) {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

function announce(text: string, except?: WebSocket) {
  wss.clients.forEach((client) => {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  });
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
      announce(`[Server]: ${wanted} has joined the chat.`, ws);
      return;
    }
    sendChat(`[${name}]: ${text}`, ws);
  });

  ws.on('close', () => {
    const name = users.get(ws);
    if (name === undefined) return;
    users.delete(ws);
    announce(`[Server]: ${name} has left the chat.`);
  });
});

console.log(`Chat server on ws://127.0.0.1:${PORT}`);
