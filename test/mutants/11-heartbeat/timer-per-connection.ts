// mutant: gives every connection its own heartbeat timer and never clears it, so after SIGTERM the timers keep the process alive
// fails: sigterm
// message: /still running.*heartbeat timer/s
// passes: live-peer, dead-peer, ping-interval
import { WebSocket } from 'ws';
import { announceLeft, answerPing, handleChat, HEARTBEAT_MS, listen } from './_json-chat.ts';

const wss = listen();
const timedOut = new WeakSet<WebSocket>();

process.once('SIGTERM', () => {
  for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
  wss.close();
});

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  let alive = true;
  socket.on('pong', () => (alive = true));
  // This connection's own heartbeat.
  setInterval(() => {
    if (!alive) {
      timedOut.add(socket);
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, HEARTBEAT_MS);
  socket.on('message', (data, isBinary) => {
    const other = handleChat(socket, data, isBinary);
    if (other) answerPing(socket, other);
  });
  socket.on('close', () => announceLeft(socket, timedOut.has(socket) ? 'timeout' : undefined));
});
