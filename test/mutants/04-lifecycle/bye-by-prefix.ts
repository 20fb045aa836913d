// mutant: any message that starts with "bye" closes the connection
// fails: unknown-command
// message: /Unknown command: bye now".*closed first.*[Oo]nly the exact message "bye"/s
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
    else if (command.startsWith('bye')) socket.close(1000, 'Goodbye!');
    else socket.send(`Unknown command: ${command}`);
  });
});
