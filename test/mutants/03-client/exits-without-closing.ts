// mutant: calls process.exit() right after printing, so no close frame is ever sent
// fails: closes
// message: /without a close frame.*process\.exit\(\) stops Node\.js at once/s
// passes: hello, prints-reply
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
ws.on('open', () => ws.send('Hello, Server!'));
ws.on('message', (data) => {
  console.log(`Received: ${data}`);
  process.exit(0);
});
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
