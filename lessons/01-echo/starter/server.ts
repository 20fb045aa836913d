// Lesson 01 · Echo server
// Answer every text message with "Echo: " followed by the message.
// Run `npm run lesson 1` to read the lesson, `npm run check -- 1` to check your work.
import { WebSocketServer, type WebSocket } from 'ws';

// The checker tells your server which port to use through PORT; 8080 is for running it yourself.
const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('listening', () => console.log(`Echo server listening on ws://localhost:${port}`));

wss.on('connection', (socket: WebSocket) => {
  console.log('A client connected');
  socket.on('close', () => console.log('A client disconnected'));

  // TODO 1: add an 'error' listener to the socket, so one misbehaving client
  //         cannot crash the whole server.

  // TODO 2: listen for 'message' events. For every text message, send back
  //         "Echo: " followed by the message, as text (not as a Buffer).
});
