// mutant: reads the terminal with rl.question(), which answers once: later lines are ignored
// fails: server-lines
// message: /"Server: A second line".*first line arrived, this one did not.*stopped reading its standard input/s
// passes: you-said, others-hear, not-to-sender
import { createInterface } from 'node:readline';
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

const terminal = createInterface({ input: process.stdin });
terminal.question('', (line) => broadcast(`Server: ${line}`));
