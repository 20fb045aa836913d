// mutant: refuses a ping whose id is falsy (0, false, null, ""), though any JSON value is an id
// fails: app-ping
// message: /Any JSON value is a valid id \(here null\)/
import { WebSocket } from 'ws';
import { announceLeft, answerPing, handleChat, HEARTBEAT_MS, listen, refuse } from './_json-chat.ts';

const wss = listen();
const answered = new WeakSet<WebSocket>();
const timedOut = new WeakSet<WebSocket>();

const heartbeat = setInterval(() => {
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
    if (other?.type === 'ping' && !other.id) return refuse(socket, 'bad-field', 'A ping needs an id.');
    if (other) answerPing(socket, other);
  });
  socket.on('close', () => announceLeft(socket, timedOut.has(socket) ? 'timeout' : undefined));
});
