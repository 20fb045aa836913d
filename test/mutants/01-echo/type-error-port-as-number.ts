// mutant: declares the port a number while process.env.PORT is a string (it runs, Node.js reads the digits)
// fails: type-checks
// message: /TS2322: Type 'string \| 8080' is not assignable to type 'number'.*const port: number = process\.env\.PORT/s
// passes: starts, replies
import { WebSocketServer } from 'ws';

const port: number = process.env.PORT ?? 8080;
const wss = new WebSocketServer({ host: '127.0.0.1', port });
wss.on('listening', () => console.log(`Listening on ws://localhost:${port}`));
wss.on('connection', (socket) => {
  socket.on('error', console.error);
  socket.on('message', (data, isBinary) => {
    if (!isBinary) socket.send(`Echo: ${data}`);
  });
});
