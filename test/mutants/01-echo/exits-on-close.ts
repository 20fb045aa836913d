// mutant: stops the whole program when a client leaves ("the client is done, so are we")
// fails: clean-disconnect
// message: /stopped (after a client closed its connection|\(it exited with status 0\) while)/
// passes: replies
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => socket.send(`Echo: ${data}`));
  socket.on('close', () => process.exit(0));
});
