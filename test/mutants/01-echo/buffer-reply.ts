// mutant: builds the reply as a Buffer, so it goes out as a binary frame
// fails: replies
// message: /binary frame.*isBinary/s
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data: Buffer) => socket.send(Buffer.concat([Buffer.from('Echo: '), data])));
});
