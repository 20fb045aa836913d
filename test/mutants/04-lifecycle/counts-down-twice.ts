// mutant: keeps a counter and counts a client out on "bye" and again in its 'close' handler
// fails: uncounts
// message: /closed dave\'s connection on "bye", your server count.*(0 clients online, but 1 was still connected|1 client too few).*counted dave out twice/s
// passes: counts, bye
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
let online = 0;

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  online += 1;
  socket.on('close', () => {
    online -= 1;
  });
  socket.send(`Welcome! Clients online: ${online}`);
  socket.on('message', (data) => {
    const command = data.toString();
    if (command === 'count') socket.send(`Clients online: ${online}`);
    else if (command === 'bye') {
      online -= 1;
      socket.close(1000, 'Goodbye!');
    } else socket.send(`Unknown command: ${command}`);
  });
});
