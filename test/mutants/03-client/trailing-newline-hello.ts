// mutant: sends the greeting with a trailing newline, as if writing a line to a TCP socket
// fails: hello
// message: /Send exactly "Hello, Server!", with no newline/
// breaks: "send exactly one text message: `Hello, Server!`"
import { WebSocket } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  ws.send('Hello, Server!\n');
});

ws.once('message', (data) => {
  console.log(`Received: ${data.toString()}`);
  ws.close(1000);
});

ws.on('error', (err) => {
  console.error(`Could not connect to ${url}: ${err.message}`);
  process.exitCode = 1;
});
