// mutant: has an 'error' listener, which tells the client what went wrong and throws if that send fails, as it does on a closing connection
// fails: malformed-frame
// message: /^(?![\s\S]*no 'error' listener)[\s\S]*stopped after a client sent a malformed frame.*already closing or closed/s
// passes: you-said, others-hear, not-to-sender, server-lines
import { createInterface } from 'node:readline';
import { WebSocketServer, WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

function broadcast(text: string, except?: WebSocket): void {
  for (const client of clients) if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
}

wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('error', (error) => {
    console.error(`Client error: ${error.message}`);
    socket.send(`Server: your last frame was broken (${error.message})`, (sendError) => {
      if (sendError) throw sendError;
    });
  });
  socket.on('close', () => clients.delete(socket));
  socket.on('message', (data) => {
    socket.send(`You said: ${data}`);
    broadcast(`Someone says: ${data}`, socket);
  });
});
createInterface({ input: process.stdin }).on('line', (line) => broadcast(`Server: ${line}`));
