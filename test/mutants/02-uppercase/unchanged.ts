// mutant: forgets to uppercase (still the echo without its prefix)
// fails: replies
// message: /toUpperCase/
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => socket.send(data.toString()));
});
