// mutant: adds the newcomer to the users first, then tells "everyone", so the newcomer hears of its own joining
// fails: join-notice
// message: /Carol was told that Carol joined.*newcomer gets only its welcome/s
// passes: welcome
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
    broadcast(`[Server]: ${newName} has joined the chat.`);
  });
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return;
    users.delete(socket);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});
