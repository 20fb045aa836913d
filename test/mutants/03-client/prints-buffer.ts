// mutant: prints the Buffer itself: "Received: <Buffer 48 65 …>"
// fails: prints-reply
// message: /<Buffer.*data\.toString\(\)/s
// passes: hello
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
ws.on('open', () => ws.send('Hello, Server!'));
ws.once('message', (data) => {
  console.log('Received:', data);
  ws.close();
});
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
