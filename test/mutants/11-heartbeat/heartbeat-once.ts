// mutant: runs the heartbeat with setTimeout, which fires once, instead of setInterval
// fails: ping-interval
// message: /setInterval,? \(?not setTimeout/
import { WebSocket } from 'ws';
import { announceLeft, answerPing, handleChat, HEARTBEAT_MS, listen } from './_json-chat.ts';

const wss = listen();
const answered = new WeakSet<WebSocket>();
const timedOut = new WeakSet<WebSocket>();

const heartbeat = setTimeout(() => {
  for (const socket of wss.clients) {
    if (!answered.has(socket)) {
      timedOut.add(socket);
      socket.terminate();
      continue;
    }
    answered.delete(socket);
    socket.ping();
  }
}, HEARTBEAT_MS);

process.once('SIGTERM', () => {
  clearTimeout(heartbeat);
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
