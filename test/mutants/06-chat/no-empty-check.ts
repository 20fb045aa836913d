// mutant: trims the name but never refuses an empty one
// fails: blank-name
// message: /blank name was let in.*Name cannot be empty/s
// passes: welcome, join-notice, trims-name, broadcast
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const users = new Map<WebSocket, string>();

function broadcast(text: string, sender?: WebSocket) {
  for (const client of users.keys()) if (client !== sender) client.send(text);
}

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const name = users.get(socket);
    if (name !== undefined) return broadcast(`[${name}]: ${data}`, socket);
    const newName = data.toString().trim();
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
