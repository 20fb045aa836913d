// mutant: sends right after creating the socket instead of waiting for 'open'
// fails: hello
// message: /WebSocket is not open.*'open' handler/s
// breaks: "When the connection opens, send exactly one text message: `Hello, Server!`"
import { WebSocket } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.send('Hello, Server!');

ws.once('message', (data) => {
  console.log(`Received: ${data.toString()}`);
  ws.close(1000);
});

ws.on('error', (err) => {
  console.error(`Could not connect to ${url}: ${err.message}`);
  process.exitCode = 1;
});
