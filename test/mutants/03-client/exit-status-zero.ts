// mutant: says "Could not connect" but exits with status 0 (a 'close' listener sets it back)
// fails: could-not-connect
// message: /status 0.*process\.exitCode = 1/s
// passes: exits
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
ws.on('open', () => ws.send('Hello, Server!'));
ws.once('message', (data) => {
  console.log(`Received: ${data}`);
  ws.close();
});
ws.on('error', (error) => console.error(`Could not connect to ${url}: ${error.message}`));
ws.on('close', () => process.exit(0));
