// mutant: announces the timeout where it terminates, and the 'close' handler announces the same user again
// fails: left-notices
// message: /Trent was announced again after leaving.*no announcement in the heartbeat's tick/s
// passes: dead-peer
import { WebSocket } from 'ws';
import { announceLeft, answerPing, broadcast, handleChat, HEARTBEAT_MS, listen, users } from './_json-chat.ts';

const wss = listen();
const answered = new WeakSet<WebSocket>();

const heartbeat = setInterval(() => {
  for (const socket of wss.clients) {
    if (!answered.has(socket)) {
      const name = users.get(socket);
      if (name !== undefined) broadcast({ type: 'left', name, reason: 'timeout' });
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
  socket.on('close', () => announceLeft(socket));
});
