// mutant: gives every connection its own heartbeat timer, never cleared, which announces a timeout, so a user who left cleanly is announced again on every tick
// fails: left-notices
// message: /announced again after leaving.*no timer per connection still running/s
// passes: live-peer, dead-peer
import { announceLeft, answerPing, broadcast, handleChat, HEARTBEAT_MS, listen, users } from './_json-chat.ts';

const wss = listen();

process.once('SIGTERM', () => {
  for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
  wss.close();
});

wss.on('connection', (socket) => {
  socket.on('error', console.error);
  let alive = true;
  let name: string | undefined;
  socket.on('pong', () => (alive = true));
  // This connection's own heartbeat: it knows best when its user timed out.
  setInterval(() => {
    if (alive) {
      alive = false;
      socket.ping();
      return;
    }
    socket.terminate();
    if (name !== undefined) broadcast({ type: 'left', name, reason: 'timeout' });
  }, HEARTBEAT_MS);
  socket.on('message', (data, isBinary) => {
    const other = handleChat(socket, data, isBinary);
    name = users.get(socket);
    if (other) answerPing(socket, other);
  });
  // A timed-out user is announced by its heartbeat; this is for the others.
  socket.on('close', () => {
    if (alive) announceLeft(socket);
    else users.delete(socket);
  });
});
