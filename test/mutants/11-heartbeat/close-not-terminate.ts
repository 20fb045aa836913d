// mutant: ends a connection that did not answer with close() instead of terminate(), and waits for a goodbye that never comes
// fails: dead-peer
// message: /still connected.*close frame.*terminate\(\) ends the TCP connection at once/s
// passes: live-peer, ping-interval
import { WebSocket } from 'ws';
import { announceLeft, answerPing, handleChat, HEARTBEAT_MS, listen } from './_json-chat.ts';

const wss = listen();
const answered = new WeakSet<WebSocket>();
const timedOut = new WeakSet<WebSocket>();

const heartbeat = setInterval(() => {
  for (const socket of wss.clients) {
    if (!answered.has(socket)) {
      timedOut.add(socket);
      socket.close(1000, 'No answer to ping');
      continue;
    }
    answered.delete(socket);
    socket.ping();
  }
}, HEARTBEAT_MS);

process.once('SIGTERM', () => {
  clearInterval(heartbeat);
  for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
  wss.close();
});

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  answered.add(socket);
  socket.on('pong', () => answered.add(socket));
  socket.on('message', (data, isBinary) => {
    const other = handleChat(socket, data, isBinary);
    if (other) answerPing(socket, other);
  });
  socket.on('close', () => announceLeft(socket, timedOut.has(socket) ? 'timeout' : undefined));
});
