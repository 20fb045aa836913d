// mutant: announces a leave only for a proper close frame (1000/1001), not when the connection drops (1006)
// fails: leave-abrupt
// message: /Trent has left the chat.*'close'/s
// passes: leave-clean, unjoined-silent, leave-unjoined
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
  socket.on('close', (code) => {
    const name = users.get(socket);
    if (name === undefined) return;
    users.delete(socket);
    // 1006 means the network failed, not that the user chose to leave, so (wrongly) stay quiet.
    if (code === 1000 || code === 1001) broadcast(`[Server]: ${name} has left the chat.`);
  });
});
