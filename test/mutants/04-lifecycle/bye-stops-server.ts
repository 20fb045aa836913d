// mutant: treats "bye" as the end of the whole server (process.exit after closing)
// fails: bye
// message: /stopped after alice said "bye".*keeps running for everyone else/s
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
      socket.close(1000, 'Goodbye!');
      process.exit(0);
    } else socket.send(`Unknown command: ${command}`);
  });
});
