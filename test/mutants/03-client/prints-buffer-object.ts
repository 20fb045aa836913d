// mutant: passes the raw message (a Buffer in ws 8) to console.log, printing <Buffer ...>
// fails: prints-reply
// message: /<Buffer.*data\.toString\(\)/s
// passes: hello
// breaks: "Print the first message the server sends back, on its own line, as `Received: <message>`"
import { WebSocket } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  ws.send('Hello, Server!');
});

ws.once('message', (message) => {
  console.log('Received:', message);
  ws.close(1000);
});

ws.on('error', (err) => {
  console.error(`Could not connect to ${url}: ${err.message}`);
  process.exitCode = 1;
});
