// mutant: the 'close' handler assumes every connection has joined, and throws when one that never sent a name leaves
// fails: leave-unjoined
// message: /stopped after a client that never joined left.*look the name up first/s
// passes: leave-clean, leave-abrupt
import { WebSocketServer, WebSocket } from 'ws';

interface User {
  name: string;
  joinedAt: Date;
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const users = new Map<WebSocket, User>();

function broadcast(text: string, sender?: WebSocket) {
  for (const client of users.keys()) if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
}

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const user = users.get(socket);
    if (user) return broadcast(`[${user.name}]: ${data}`, socket);
    const name = data.toString().trim();
    if (name === '') return socket.send('[Server]: Name cannot be empty.');
    users.set(socket, { name, joinedAt: new Date() });
    socket.send(`[Server]: Welcome, ${name}!`);
    broadcast(`[Server]: ${name} has joined the chat.`, socket);
  });
  socket.on('close', () => {
    const { name } = users.get(socket)!;
    users.delete(socket);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});
