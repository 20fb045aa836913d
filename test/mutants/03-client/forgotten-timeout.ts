// mutant: a "no reply" safety timer that is never cleared keeps the process alive and then fails it
// fails: exits
// message: /still running 1\.0 s later.*no timer/s
// passes: hello, prints-reply, closes
// breaks: "Then close the connection normally (code 1000) and exit with status 0, without waiting for any timer"
import { WebSocket } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

// give up if the server never answers
setTimeout(() => {
  console.error('No reply from the server, giving up');
  process.exit(1);
}, 3000);

ws.on('open', () => {
  ws.send('Hello, Server!');
});

ws.once('message', (data) => {
  console.log(`Received: ${data.toString()}`);
  ws.close(1000);
});

ws.on('error', (err) => {
  console.error(`Could not connect to ${url}: ${err.message}`);
  process.exit(1);
});
