// mutant: sends a second message, "Goodbye!", before closing
// fails: closes
// message: /sent another message.*"Goodbye!".*exactly one message/s
// passes: hello, prints-reply
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
ws.on('open', () => ws.send('Hello, Server!'));
ws.once('message', (data) => {
  console.log(`Received: ${data}`);
  ws.send('Goodbye!');
  ws.close();
});
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
