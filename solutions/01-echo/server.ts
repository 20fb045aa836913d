// Lesson 01 · Echo server: answers every text message with "Echo: " and the message.
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('listening', () => console.log(`Echo server listening on ws://localhost:${port}`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

wss.on('connection', (socket: WebSocket) => {
  // Without this listener, one client that sends a broken frame would crash the whole server.
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return; // This lesson answers text messages only.
    // data is a Buffer; turning it into a string makes the reply a text frame.
    socket.send(`Echo: ${data.toString()}`);
  });
});
