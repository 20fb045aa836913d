// mutant: trims the received message before printing it
// fails: prints-reply
// message: /without printing the line "Received:   Hello.*trimmed it.*exactly as it arrived/s
// passes: hello
// breaks: "Print the first message the server sends back ... as `Received: <message>`" (the message unchanged)
import { WebSocket } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  ws.send('Hello, Server!');
});

ws.once('message', (data) => {
  const text = data.toString().trim();
  console.log(`Received: ${text}`);
  ws.close(1000);
});

ws.on('error', (err) => {
  console.error(`Could not connect to ${url}: ${err.message}`);
  process.exitCode = 1;
});
