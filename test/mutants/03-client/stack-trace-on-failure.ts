// mutant: logs the whole Error object on connection failure, stack trace included
// fails: could-not-connect
// message: /stack trace.*error\.message/s
// passes: hello, prints-reply, closes, exits
// breaks: "print a line containing `Could not connect` to stderr, print no stack trace, and exit with a non-zero status"
import { WebSocket } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  ws.send('Hello, Server!');
});

ws.once('message', (data) => {
  console.log(`Received: ${data.toString()}`);
  ws.close(1000);
});

ws.on('error', (err) => {
  console.error('Could not connect to the server:', err);
  process.exitCode = 1;
});
