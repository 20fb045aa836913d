// mutant: a hand-kept counter is decremented both on `bye` and in the 'close' handler
// fails: uncounts
// message: /on \"bye\", your server count.*(0 clients online, but 1 was still connected|1 client too few).*counted dave out twice/s
// passes: counts, bye
// breaks: "When a client sends `count`, reply `Clients online: N`" (N must count the open connections; after a bye it is one too low)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

let online = 0;

wss.on('connection', (ws: WebSocket) => {
  online++;
  ws.send(`Welcome! Clients online: ${online}`);

  ws.on('error', (err) => console.error('client error:', err.message));

  ws.on('message', (data) => {
    const text = data.toString();
    if (text === 'count') {
      ws.send(`Clients online: ${online}`);
    } else if (text === 'bye') {
      online--;
      ws.close(1000, 'Goodbye!');
    } else {
      ws.send(`Unknown command: ${text}`);
    }
  });

  // also catch clients that just vanish
  ws.on('close', () => {
    online--;
  });
});

console.log(`Lifecycle server on ws://127.0.0.1:${PORT}`);
