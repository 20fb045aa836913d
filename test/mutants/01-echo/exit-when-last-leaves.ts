// mutant: shuts the server down when the last client disconnects
// fails: clean-disconnect
// message: /Your server stopped/
// breaks: "A server keeps running when any client disconnects ... and keeps serving the others and new ones"
import { WebSocketServer, WebSocket } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('listening', () => {
  console.log(`Echo server listening on ws://127.0.0.1:${PORT}`);
});

wss.on('connection', (ws: WebSocket) => {
  ws.on('error', (err) => console.error('Client error:', err.message));

  ws.on('message', (data) => {
    ws.send(`Echo: ${data.toString()}`);
  });

  ws.on('close', () => {
    // clean shutdown once everybody is gone
    if (wss.clients.size === 0) {
      console.log('No clients left, bye');
      wss.close(() => process.exit(0));
    }
  });
});
