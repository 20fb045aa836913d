// mutant: listens on a hard-coded port instead of reading PORT
// fails: starts
// message: /listening on port 8765.*hard-code 8765.*process\.env\.PORT/s
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 8765 });
wss.on('listening', () => console.log('Listening on ws://localhost:8765'));
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => socket.send(`Echo: ${data}`));
});
