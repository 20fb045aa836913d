// mutant: on "bye" sends a goodbye message, then closes with no code and no reason
// fails: bye
// message: /close with code 1005 and no reason.*socket\.close\(1000, 'Goodbye!'\)/s
// passes: counts, unknown-command
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
    else if (command === 'bye') {
      socket.send('Goodbye!');
      socket.close();
    } else socket.send(`Unknown command: ${command}`);
  });
});
