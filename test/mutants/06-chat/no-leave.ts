// mutant: has no 'close' handler: users are never removed and nobody hears that they left
// fails: leave-clean
// message: /has left the chat.*Closed client not removed.*'close' handler/s
// passes: join-notice, broadcast, not-to-sender
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const users = new Map<WebSocket, string>();

function broadcast(text: string, sender?: WebSocket) {
  for (const client of users.keys()) if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
}

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const name = users.get(socket);
    if (name !== undefined) return broadcast(`[${name}]: ${data}`, socket);
    const newName = data.toString().trim();
    if (newName === '') return socket.send('[Server]: Name cannot be empty.');
    users.set(socket, newName);
    socket.send(`[Server]: Welcome, ${newName}!`);
    broadcast(`[Server]: ${newName} has joined the chat.`, socket);
  });
});
