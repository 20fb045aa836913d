// mutant: awaits every send through a promise, with no readyState check and no catch: a leaving client's error crashes the server
// fails: leaving-client
// message: /stopped.*WebSocket is not open.*readyState is not WebSocket\.OPEN/s
// passes: you-said, others-hear, not-to-sender, server-lines
import { createInterface } from 'node:readline';
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Set<WebSocket>();

// "So I know each message went out."
function sendText(client: WebSocket, text: string): Promise<void> {
  return new Promise((resolve, reject) => client.send(text, (error) => (error ? reject(error) : resolve())));
}

async function broadcast(text: string, except?: WebSocket): Promise<void> {
  for (const client of clients) if (client !== except) await sendText(client, text);
}

wss.on('connection', (socket) => {
  clients.add(socket);
  socket.on('error', console.error);
  socket.on('close', () => clients.delete(socket));
  socket.on('message', (data) => {
    socket.send(`You said: ${data}`);
    void broadcast(`Someone says: ${data}`, socket);
  });
});
createInterface({ input: process.stdin }).on('line', (line) => void broadcast(`Server: ${line}`));
