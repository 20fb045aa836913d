// mutant: prints the whole error object when it cannot connect, stack trace included
// fails: could-not-connect
// message: /stack trace.*error\.message/s
// passes: exits
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
ws.on('open', () => ws.send('Hello, Server!'));
ws.once('message', (data) => {
  console.log(`Received: ${data}`);
  ws.close();
});
ws.on('error', (error) => {
  console.error('Could not connect:', error);
  process.exitCode = 1;
});
