// mutant: sends each reply to every connected client instead of the sender
// fails: two-clients
// message: /meant for another client.*socket\.send/s
// passes: replies, burst
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    for (const client of wss.clients) client.send(`Echo: ${data}`);
  });
});
