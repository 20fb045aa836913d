// mutant: lets ws do the handshake (the lesson is to write it by hand)
// fails: no-ws
// message: /imports ws.*node:http and node:crypto only/s
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((_, response) => void response.writeHead(426, { Upgrade: 'websocket' }).end());
const wss = new WebSocketServer({ server, handleProtocols: (offered) => (offered.has('chat') ? 'chat' : false) });
wss.on('connection', (socket) => {
  socket.on('error', () => {});
  socket.send('Hello from a hand-made handshake!');
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1');
