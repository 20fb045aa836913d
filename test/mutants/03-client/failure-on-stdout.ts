// mutant: prints the connection failure with console.log (stdout) instead of stderr
// fails: could-not-connect
// message: /console\.log, which writes to stdout.*console\.error/s
// passes: hello, prints-reply, closes, exits
// breaks: "print a line containing `Could not connect` to stderr"
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

ws.on('error', () => {
  console.log(`Could not connect to ${url}`);
  process.exit(1);
});
