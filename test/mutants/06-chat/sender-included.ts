// mutant: passes each chat line to every joined user, the sender included
// fails: not-to-sender
// message: /Sender included in a broadcast: Alice received Alice's own message back/
// passes: welcome, join-notice, broadcast, leave-clean
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const users = new Map<WebSocket, string>();
const broadcast = (text: string) => {
  for (const client of users.keys()) client.send(text);
};

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const name = users.get(socket);
    if (name) return broadcast(`[${name}]: ${data}`);
    const newName = data.toString().trim();
    if (!newName) return socket.send('[Server]: Name cannot be empty.');
    socket.send(`[Server]: Welcome, ${newName}!`);
    broadcast(`[Server]: ${newName} has joined the chat.`); // before set: the newcomer is not in users yet
    users.set(socket, newName);
  });
  socket.on('close', () => {
    const name = users.get(socket);
    if (!name) return;
    users.delete(socket);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});
