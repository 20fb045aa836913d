// Lesson 02 · Uppercase server
// Answer every text message with the same text in capital letters, and nothing else.
// Run `npm run lesson 2` to read the lesson, `npm run check -- 2` to check your work.
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('listening', () => console.log(`Uppercase server listening on ws://localhost:${port}`));

wss.on('connection', (socket: WebSocket) => {
  socket.on('close', () => console.log('A client disconnected'));

  // TODO 1: add an 'error' listener to the socket.

  // TODO 2: for every text message, reply with the message in capitals
  //         ("hello" becomes "HELLO", "straße" becomes "STRASSE"), as text, with no prefix.
});
