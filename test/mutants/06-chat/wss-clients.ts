// mutant: broadcasts to every open connection in wss.clients, including clients that have not sent a name yet
// fails: unjoined-silent
// message: /Lurker had not joined yet.*wss\.clients/s
// passes: join-notice, broadcast, not-to-sender, leave-clean, leave-abrupt
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const names = new Map<WebSocket, string>();

function broadcast(text: string, sender?: WebSocket) {
  wss.clients.forEach((client) => {
    if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
  });
}

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const name = names.get(socket);
    if (name !== undefined) return broadcast(`[${name}]: ${data}`, socket);
    const newName = data.toString().trim();
    if (newName === '') return socket.send('[Server]: Name cannot be empty.');
    names.set(socket, newName);
    socket.send(`[Server]: Welcome, ${newName}!`);
    broadcast(`[Server]: ${newName} has joined the chat.`, socket);
  });
  socket.on('close', () => {
    const name = names.get(socket);
    if (name === undefined) return;
    names.delete(socket);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});
