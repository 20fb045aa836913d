// mutant: has an 'error' listener, but it throws the error again
// fails: malformed-frame
// message: /stopped after a client sent a malformed frame/
// passes: replies, burst
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('error', (error) => {
    throw error;
  });
  socket.on('message', (data) => socket.send(data.toString().toUpperCase()));
});
