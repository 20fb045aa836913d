// mutant: simulated processing delay per message lets replies overtake each other
// fails: burst
// message: /out of order.*as it arrives/s
// passes: replies, unicode
// breaks: "Replies come back in the order the messages were sent" (burst of 100)
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

// pretend the echo takes a little work, like a real service would
function work(text: string): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve(`Echo: ${text}`), Math.random() * 5));
}

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('Client error:', err.message));

  ws.on('message', async (data) => {
    const reply = await work(data.toString());
    ws.send(reply);
  });
});
