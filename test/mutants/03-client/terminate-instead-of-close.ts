// mutant: ends the connection with terminate() instead of a normal close
// fails: closes
// message: /without a close frame.*ws\.terminate\(\) drops the connection/s
// passes: hello, prints-reply
// breaks: "Then close the connection normally (code 1000)" (terminate drops TCP with no close frame: 1006)
import { WebSocket } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  ws.send('Hello, Server!');
});

ws.once('message', (data) => {
  console.log(`Received: ${data.toString()}`);
  ws.terminate(); // we are done, shut the connection
});

ws.on('error', (err) => {
  console.error(`Could not connect to ${url}: ${err.message}`);
  process.exitCode = 1;
});
