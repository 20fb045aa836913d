// mutant: skips empty messages ("nothing to echo")
// fails: empty-message
// message: /expected the text message "Echo: ", but nothing arrived/
// passes: replies, unicode, burst
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const text = data.toString();
    if (!text) return;
    socket.send(`Echo: ${text}`);
  });
});
