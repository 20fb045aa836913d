// mutant: reads the terminal like Python's input(), with a blocking fs.readSync loop: the event loop never runs again
// fails: you-said
// message: /never answered the WebSocket handshake.*blocks its event loop.*readline/s
import { readSync } from 'node:fs';
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

function broadcast(text: string, except?: WebSocket): void {
  for (const client of clients) if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
}

wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('error', console.error);
  socket.on('close', () => clients.delete(socket));
  socket.on('message', (data) => {
    socket.send(`You said: ${data}`);
    broadcast(`Someone says: ${data}`, socket);
  });
});

wss.on('listening', () => {
  const buffer = Buffer.alloc(4096);
  for (;;) {
    const length = readSync(0, buffer); // waits here until the operator types a line
    if (length === 0) break;
    for (const line of buffer.toString('utf8', 0, length).split('\n').filter(Boolean)) broadcast(`Server: ${line}`);
  }
});
