// mutant: sends the welcome before adding the newcomer to the set (off by one)
// fails: counts
// message: /Welcome! Clients online: 0.*newcomer counts too/s
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.send(`Welcome! Clients online: ${clients.size}`);
  clients.add(socket);
  socket.on('close', () => clients.delete(socket));
  socket.on('message', (data) => {
    const command = data.toString();
    if (command === 'count') socket.send(`Clients online: ${clients.size}`);
    else if (command === 'bye') socket.close(1000, 'Goodbye!');
    else socket.send(`Unknown command: ${command}`);
  });
});
