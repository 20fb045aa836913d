// Lesson 02 · Uppercase server: answers every text message with the same text in capitals.
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('listening', () => console.log(`Uppercase server listening on ws://localhost:${port}`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

wss.on('connection', (socket: WebSocket) => {
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return;
    // JavaScript's own rules: "straße" becomes "STRASSE", "ü" becomes "Ü".
    socket.send(data.toString().toUpperCase());
  });
});
