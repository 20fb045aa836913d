// mutant: applies backpressure to the publisher instead: stops reading from the sender until the slow client has room, which it never has
// fails: fast-clients
// message: /Nothing arrived for \d\.\d s/
// passes: fan-out, before-send
import { WebSocketServer, WebSocket } from 'ws';

const maxBufferedBytes = Number(process.env.MAX_BUFFERED_BYTES ?? 1024 * 1024);
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });

/** Reads from `publisher` again once no client has more than the limit waiting. */
function resumeWhenDrained(publisher: WebSocket): void {
  const timer = setInterval(() => {
    const full = [...wss.clients].some((client) => client.readyState === WebSocket.OPEN && client.bufferedAmount > maxBufferedBytes);
    if (!full) {
      clearInterval(timer);
      publisher.resume();
    }
  }, 20);
}

wss.on('connection', (socket) => {
  socket.on('error', (error) => console.error(error.message));
  socket.on('message', (data, isBinary) => {
    let full = false;
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      client.send(data, { binary: isBinary });
      if (client.bufferedAmount > maxBufferedBytes) full = true;
    }
    if (full && !socket.isPaused) {
      socket.pause();
      resumeWhenDrained(socket);
    }
  });
});
