// mutant: message size limit set to 64 KB (64 * 1000) instead of 64 KiB
// fails: large-message
// message: /closed first \(code 1009\).*maxPayload is smaller than 64 KiB/s
// passes: replies, unicode, burst
// breaks: "Must work for: ... a 64 KiB message" (65,536 bytes exceed maxPayload, ws closes with 1009)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
// don't let clients send us huge messages: 64 KB is plenty for an echo server
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT, maxPayload: 64 * 1000 });

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('Client error:', err.message));

  ws.on('message', (data) => {
    ws.send(`Echo: ${data.toString()}`);
  });
});
