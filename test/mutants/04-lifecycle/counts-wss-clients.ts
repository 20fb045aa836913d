// mutant: counts wss.clients.size, which still holds a connection whose close handshake has started
// fails: uncounts
// message: /After erin closed her connection.*still counted 2.*CLOSING.*readyState/s
// passes: counts, bye, unknown-command
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.send(`Welcome! Clients online: ${wss.clients.size}`);
  socket.on('message', (data) => {
    const command = data.toString();
    if (command === 'count') socket.send(`Clients online: ${wss.clients.size}`);
    else if (command === 'bye') socket.close(1000, 'Goodbye!');
    else socket.send(`Unknown command: ${command}`);
  });
});
