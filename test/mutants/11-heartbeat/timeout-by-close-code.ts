// mutant: says reason "timeout" for every connection that ended without a close frame (code 1006), a dropped one too
// fails: left-notices
// message: /Dave timed out.*only a connection your heartbeat terminated/s
// passes: dead-peer
import { WebSocket } from 'ws';
import { announceLeft, answerPing, handleChat, HEARTBEAT_MS, listen } from './_json-chat.ts';

const wss = listen();
const answered = new WeakSet<WebSocket>();

const heartbeat = setInterval(() => {
  for (const socket of wss.clients) {
    if (!answered.has(socket)) {
      socket.terminate();
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
  socket.on('close', (code) => announceLeft(socket, code === 1006 ? 'timeout' : undefined));
});
