// mutant: normalizes the text to NFC before uppercasing
// fails: unicode
// message: /"CAFÉ ZOË, DECOMPOSED".*normalized its Unicode/s
// passes: replies, empty-message, whole-message, burst
// breaks: "reply with `m.toUpperCase()`" (decomposed letters such as `e` + U+0301 come back composed)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('socket error', err.message));
  ws.on('message', (data) => {
    // normalize first so accented letters are uppercased consistently
    ws.send(data.toString().normalize('NFC').toUpperCase());
  });
});
