// mutant: adds every client to its set but never removes one (no 'close' handler)
// fails: uncounts
// message: /After alice closed her connection.*still counted 2.*[Cc]losed client not removed/s
// passes: counts, unknown-command, bye
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  clients.add(socket);
  socket.send(`Welcome! Clients online: ${clients.size}`);
  socket.on('message', (data) => {
    const command = data.toString();
    if (command === 'count') socket.send(`Clients online: ${clients.size}`);
    else if (command === 'bye') socket.close(1000, 'Goodbye!');
    else socket.send(`Unknown command: ${command}`);
  });
});
