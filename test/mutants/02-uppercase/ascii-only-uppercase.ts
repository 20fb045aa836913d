// mutant: hand-written uppercase that only shifts a-z (ASCII)
// fails: unicode
// message: /toUpperCase\(\) knows every alphabet/
// passes: replies, empty-message, burst
// breaks: "reply with `m.toUpperCase()` (JavaScript's rules, so `straße` becomes `STRASSE`)"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

function shout(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code >= 97 && code <= 122 ? String.fromCharCode(code - 32) : ch;
  }
  return out;
}

wss.on('listening', () => console.log(`Uppercase server on ws://127.0.0.1:${PORT}`));

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('socket error', err.message));
  ws.on('message', (data) => {
    ws.send(shout(data.toString()));
  });
});
