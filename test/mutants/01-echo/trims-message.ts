// mutant: trims the message before echoing it
// fails: whole-message
// message: /"Echo:   spaces around.*trimmed it/s
// passes: replies, empty-message, unicode, burst
// breaks: "For every text message `m` from a client, reply to that client with `Echo: m`" (m exactly, its surrounding whitespace included)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('Client error:', err.message));

  ws.on('message', (data) => {
    // clean up stray spaces and newlines before echoing
    const text = data.toString().trim();
    ws.send(`Echo: ${text}`);
  });
});
