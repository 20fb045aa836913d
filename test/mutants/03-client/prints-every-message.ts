// mutant: prints every message that arrives before the close completes, not only the first
// fails: first-only
// message: /printed the second message too.*ws\.once\('message'/s
// passes: hello, prints-reply, closes, exits
// breaks: "Print the first message the server sends back, on its own line, as `Received: <message>`" (only the first)
import { WebSocket } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  ws.send('Hello, Server!');
});

ws.on('message', (data) => {
  console.log(`Received: ${data.toString()}`);
  ws.close(1000);
});

ws.on('error', (err) => {
  console.error(`Could not connect to ${url}: ${err.message}`);
  process.exitCode = 1;
});
