// mutant: closes after a fixed wait ("give the reply time to arrive") instead of on the reply
// fails: closes
// message: /still open 1\.0 s later.*timer/s
// passes: hello, prints-reply
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
ws.on('open', () => {
  ws.send('Hello, Server!');
  setTimeout(() => ws.close(), 3000);
});
ws.on('message', (data) => console.log(`Received: ${data}`));
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
