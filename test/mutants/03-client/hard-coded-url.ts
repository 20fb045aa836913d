// mutant: connects to ws://localhost:8080 always, ignoring WS_URL
// fails: hello
// message: /Read the address from process\.env\.WS_URL/
import WebSocket from 'ws';

const url = 'ws://localhost:8080';
const ws = new WebSocket(url);
ws.on('open', () => ws.send('Hello, Server!'));
ws.once('message', (data) => {
  console.log(`Received: ${data}`);
  ws.close();
});
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
