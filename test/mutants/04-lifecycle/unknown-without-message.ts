// mutant: answers an unknown command without repeating the message
// fails: unknown-command
// message: /expected the message "Unknown command: hello".*"Unknown command: " and the message itself/s
// passes: counts, bye
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  clients.add(socket);
  socket.on('close', () => clients.delete(socket));
  socket.send(`Welcome! Clients online: ${clients.size}`);
  socket.on('message', (data) => {
    const command = data.toString();
    if (command === 'count') socket.send(`Clients online: ${clients.size}`);
    else if (command === 'bye') socket.close(1000, 'Goodbye!');
    else socket.send('Unknown command');
  });
});
