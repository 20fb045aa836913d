// Lesson 03 · Your first client: says hello, prints the first reply, and closes.
import WebSocket, { type RawData } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
let opened = false;

ws.on('open', () => {
  opened = true;
  // Sending is only possible once the connection is open.
  ws.send('Hello, Server!');
});

ws.once('message', (data: RawData) => {
  console.log(`Received: ${data.toString()}`);
  // Starts the close handshake. Once it is done nothing is left to wait for, and Node.js exits.
  ws.close(1000);
});

// Without an 'error' listener, a refused connection would crash the program with a stack trace.
ws.on('error', (error) => {
  console.error(opened ? `Connection error: ${error.message}` : `Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
