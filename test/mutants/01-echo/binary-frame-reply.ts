// mutant: builds the reply as a Buffer, so it goes out as a binary frame
// fails: replies
// message: /binary frame.*isBinary/s
// breaks: "Replies in lessons 01-08 are text frames" (ws 8 sends a Buffer as a binary frame; isBinary ignored)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });
const PREFIX = Buffer.from('Echo: ');

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('Client error:', err.message));

  ws.on('message', (data) => {
    // no need to decode and re-encode: just glue the bytes together
    ws.send(Buffer.concat([PREFIX, data as Buffer]));
  });
});
