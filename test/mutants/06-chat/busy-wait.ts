// mutant: slows every sender down with a 20 ms busy-wait per message, which blocks the event loop for everyone
// fails: load
// message: /Only \d+ of the 24500 deliveries arrived.*blocks the event loop/s
// passes: broadcast, not-to-sender, sender-order
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const users = new Map<WebSocket, string>();

function broadcast(text: string, sender?: WebSocket) {
  for (const client of users.keys()) if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
}

/** "Anti-spam": make each message wait 20 ms before it is passed on. */
function pause(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // wait
  }
}

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const name = users.get(socket);
    if (name !== undefined) {
      pause(20);
      return broadcast(`[${name}]: ${data}`, socket);
    }
    const newName = data.toString().trim();
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
