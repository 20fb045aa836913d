// mutant: decodes the message byte by byte with String.fromCharCode (not UTF-8)
// fails: unicode
// message: /decoded its bytes one at a time.*data\.toString\(\) decodes UTF-8/s
// passes: replies, whole-message
// breaks: "Must work for: ... Unicode and emoji" (reply must be `Echo: m` with m unchanged)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

function bytesToString(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('Client error:', err.message));

  ws.on('message', (data) => {
    const text = bytesToString(data as Buffer);
    ws.send(`Echo: ${text}`);
  });
});
