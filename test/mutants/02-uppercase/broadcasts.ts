// mutant: sends every reply to all connected clients
// fails: two-clients
// message: /meant for another client/
// passes: replies, unicode, burst
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    wss.clients.forEach((client) => client.send(data.toString().toUpperCase()));
  });
});
