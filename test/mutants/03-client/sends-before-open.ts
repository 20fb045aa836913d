// mutant: sends right after creating the WebSocket, before the connection is open
// fails: hello
// message: /WebSocket is not open.*'open' handler/s
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
ws.send('Hello, Server!');
ws.once('message', (data) => {
  console.log(`Received: ${data}`);
  ws.close();
});
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
