// mutant: the 'error' listener is on the WebSocketServer, not on each connection
// fails: malformed-frame
// message: /stopped after a client sent a malformed frame.*no 'error' listener.*socket\.on\('error'/s
// passes: replies, burst, two-clients
// breaks: "every connection has an 'error' listener; without one, one bad client crashes the whole server"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));
wss.on('error', (err) => console.error('server error', err.message));

wss.on('connection', (ws: WebSocket) => {
  ws.on('message', (data) => {
    ws.send(data.toString().toUpperCase());
  });
});
