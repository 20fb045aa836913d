// mutant: ends a connection only after three pings in a row went unanswered
// fails: dead-peer
// message: /pinged \w+ \d+ times after it stopped answering.*one missed pong is enough/s
// passes: live-peer, ping-interval
import { WebSocket } from 'ws';
import { announceLeft, answerPing, handleChat, HEARTBEAT_MS, listen } from './_json-chat.ts';

const wss = listen();
/** How many pings in a row each connection has left unanswered. */
const missed = new WeakMap<WebSocket, number>();
const timedOut = new WeakSet<WebSocket>();

const heartbeat = setInterval(() => {
  for (const socket of wss.clients) {
    const count = missed.get(socket) ?? 0;
    if (count >= 3) {
      timedOut.add(socket);
      socket.terminate();
      continue;
    }
    missed.set(socket, count + 1);
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
  socket.on('pong', () => missed.set(socket, 0));
  socket.on('message', (data, isBinary) => {
    const other = handleChat(socket, data, isBinary);
    if (other) answerPing(socket, other);
  });
  socket.on('close', () => announceLeft(socket, timedOut.has(socket) ? 'timeout' : undefined));
});
