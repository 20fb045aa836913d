// mutant: size limit of 0xFFFF bytes, one short of 64 KiB
// fails: large-message
// message: /code 1009.*maxPayload.*65536/s
// passes: replies, unicode, burst
// breaks: "Same robustness list as 01" (a 64 KiB message must be answered; 65,536 bytes exceed maxPayload 65,535)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const MAX_MESSAGE = 0xffff; // 64 KiB
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT, maxPayload: MAX_MESSAGE });

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('socket error', err.message));
  ws.on('message', (data) => {
    ws.send(data.toString().toUpperCase());
  });
});
