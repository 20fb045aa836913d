// mutant: reads raw 'data' chunks from stdin, so several lines in one chunk become one message
// fails: server-lines
// message: /\"Server: A second line\".*arrived as one message.*readline/s
// passes: you-said, others-hear, not-to-sender
// breaks: "Every line typed on the server's standard input is sent ... as `Server: <line>`" (one message per line)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

function broadcast(text: string, except?: WebSocket) {
  wss.clients.forEach((client) => {
    if (client !== except && client.readyState === WebSocket.OPEN) client.send(text);
  });
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('client error:', err.message));
  ws.on('message', (data) => {
    const text = data.toString();
    ws.send(`You said: ${text}`);
    broadcast(`Someone says: ${text}`, ws);
  });
});

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  const line = chunk.replace(/\r?\n$/, ''); // drop the Enter key
  broadcast(`Server: ${line}`);
});

console.log(`Broadcast server on ws://127.0.0.1:${PORT}; type to talk to everyone`);
