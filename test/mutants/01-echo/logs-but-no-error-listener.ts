// mutant: no 'error' listener on the connection
// fails: malformed-frame
// message: /stopped after a client sent a malformed frame.*no 'error' listener/s
// passes: replies, two-clients, clean-disconnect
// breaks: "A server keeps running when a client breaks the protocol ... every connection has an 'error' listener"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

wss.on('connection', (ws: WebSocket) => {
  console.log('Client connected');

  ws.on('message', (data) => {
    ws.send(`Echo: ${data.toString()}`);
  });

  ws.on('close', () => console.log('Client disconnected'));
});
