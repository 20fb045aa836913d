// mutant: reports the failed connection but still exits with status 0
// fails: could-not-connect
// message: /exited with status 0 after it could not connect.*process\.exitCode = 1/s
// passes: hello, prints-reply, closes, exits
// breaks: "If the connection cannot be made ... exit with a non-zero status"
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
  console.error(`Could not connect to ${url} (${err.message || 'connection refused'})`);
});
