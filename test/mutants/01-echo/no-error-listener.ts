// mutant: right replies, but no 'error' listener on the connection
// fails: malformed-frame
// message: /stopped after a client sent a malformed frame.*'error' listener/s
// passes: replies, burst, two-clients
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('message', (data) => socket.send(`Echo: ${data}`));
});
