// mutant: saves each message to a (pretend) database first and passes it on when the save finishes, which can be in any order
// fails: sender-order
// message: /out of order.*in the order they were sent/s
// passes: welcome, join-notice, broadcast, not-to-sender
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const users = new Map<WebSocket, string>();

function broadcast(text: string, sender?: WebSocket) {
  for (const client of users.keys()) if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
}

/** Stands in for a database write: it takes a varying time. */
function saveMessage(_name: string, _text: string): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
}

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', async (data) => {
    const text = data.toString();
    const name = users.get(socket);
    if (name !== undefined) {
      await saveMessage(name, text);
      return broadcast(`[${name}]: ${text}`, socket);
    }
    const newName = text.trim();
    if (newName === '') return socket.send('[Server]: Name cannot be empty.');
    users.set(socket, newName);
    socket.send(`[Server]: Welcome, ${newName}!`);
    broadcast(`[Server]: ${newName} has joined the chat.`, socket);
  });
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return;
    users.delete(socket);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});
