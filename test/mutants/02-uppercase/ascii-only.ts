// mutant: uppercases with its own a-z mapping, so ü and ß stay as they are
// fails: unicode
// message: /toUpperCase\(\) knows every alphabet/
// passes: replies, empty-message, burst
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => {
    const upper = [...data.toString()].map((c) => (c >= 'a' && c <= 'z' ? String.fromCharCode(c.charCodeAt(0) - 32) : c)).join('');
    socket.send(upper);
  });
});
