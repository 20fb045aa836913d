// mutant: checks the trimmed name for emptiness, but keeps the name as it was typed, spaces and all
// fails: trims-name
// message: /Only spaces differ: trim the name/
// passes: welcome, join-notice, blank-name, broadcast
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const users = new Map<WebSocket, string>();

function broadcast(text: string, sender?: WebSocket) {
  for (const client of users.keys()) if (client !== sender) client.send(text);
}

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const text = data.toString();
    const name = users.get(socket);
    if (name !== undefined) return broadcast(`[${name}]: ${text}`, socket);
    if (text.trim() === '') return socket.send('[Server]: Name cannot be empty.');
    users.set(socket, text);
    socket.send(`[Server]: Welcome, ${text}!`);
    broadcast(`[Server]: ${text} has joined the chat.`, socket);
  });
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return;
    users.delete(socket);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});
