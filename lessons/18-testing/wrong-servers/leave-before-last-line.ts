// A wrong lesson 06 chat server, for lesson 18: every chat line first goes through a (pretend)
// moderation service, but notices do not, so a user who says goodbye and closes at once is
// announced as gone before their last line arrives. (The service answers after 100 ms, far
// longer than a close takes, so the order is wrong every time.)
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const users = new Map<WebSocket, string>();

function broadcast(text: string, sender?: WebSocket) {
  for (const client of users.keys()) if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
}

/** Stands in for a moderation service; every answer takes the same time, so one user's lines keep their order. */
function moderate(text: string): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve(text), 100));
}

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', async (data) => {
    const text = data.toString();
    const name = users.get(socket);
    if (name !== undefined) return broadcast(`[${name}]: ${await moderate(text)}`, socket);
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
