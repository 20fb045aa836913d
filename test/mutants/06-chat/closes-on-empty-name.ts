// mutant: answers an empty name with the error, then closes the connection instead of waiting for another name
// fails: blank-name
// message: /connection stays open, still waiting for a name/
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
    if (newName === '') {
      socket.send('[Server]: Name cannot be empty.');
      socket.close(1008, 'A name is required');
      return;
    }
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
