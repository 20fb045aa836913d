// mutant: logs connects and disconnects but has no 'error' listener on the connection
// fails: malformed-frame
// message: /stopped after a client sent a malformed frame.*no 'error' listener/s
// passes: counts, bye, unknown-command
// breaks: "A server keeps running when a client breaks the protocol ... every connection has an 'error' listener"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('connection', (ws: WebSocket) => {
  console.log(`Client connected (${wss.clients.size} online)`);
  ws.send(`Welcome! Clients online: ${wss.clients.size}`);

  ws.on('message', (data) => {
    const text = data.toString();
    if (text === 'count') {
      ws.send(`Clients online: ${wss.clients.size}`);
    } else if (text === 'bye') {
      ws.close(1000, 'Goodbye!');
    } else {
      ws.send(`Unknown command: ${text}`);
    }
  });

  ws.on('close', (code) => {
    console.log(`Client left with code ${code} (${wss.clients.size} online)`);
  });
});

console.log(`Lifecycle server on ws://127.0.0.1:${PORT}`);
