// mutant: sends the uppercased text as a Buffer (a binary frame)
// fails: replies
// message: /binary frame.*data\.toString\(\)/s
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data) => socket.send(Buffer.from(data.toString().toUpperCase())));
});
