// mutant: forgets to return after handling the name, so the name is also passed on as a chat line
// fails: join-notice
// message: /Dave's name was passed on as a chat line too.*return/s
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
    const text = data.toString();
    if (!users.has(socket)) {
      const name = text.trim();
      if (name === '') return socket.send('[Server]: Name cannot be empty.');
      users.set(socket, name);
      socket.send(`[Server]: Welcome, ${name}!`);
      broadcast(`[Server]: ${name} has joined the chat.`, socket);
    }
    broadcast(`[${users.get(socket)}]: ${text}`, socket);
  });
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return;
    users.delete(socket);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});
