// mutant: also opens a readline interface ("press Enter to quit") that keeps the program alive
// fails: exits
// message: /still running.*readline/s
// passes: hello, prints-reply, closes
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
const keyboard = createInterface({ input: process.stdin });
keyboard.on('line', () => ws.close());
ws.on('open', () => ws.send('Hello, Server!'));
ws.once('message', (data) => {
  console.log(`Received: ${data}`);
  ws.close();
});
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
