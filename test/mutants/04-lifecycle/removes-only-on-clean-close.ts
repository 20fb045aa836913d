// mutant: forgets a client only after a clean close, expecting a dropped connection to be an 'error' event
// fails: uncounts
// message: /After carol dropped her connection.*still counted 2.*[Cc]losed client not removed.*1006/s
// passes: counts, bye
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('error', (error) => {
    console.error(error.message);
    clients.delete(socket); // "a lost connection is an error"
  });
  socket.on('close', (code) => {
    if (code === 1000 || code === 1001 || code === 1005) clients.delete(socket);
  });
  socket.send(`Welcome! Clients online: ${clients.size}`);
  socket.on('message', (data) => {
    const command = data.toString();
    if (command === 'count') socket.send(`Clients online: ${clients.size}`);
    else if (command === 'bye') socket.close(1000, 'Goodbye!');
    else socket.send(`Unknown command: ${command}`);
  });
});
