// mutant: on /quit calls process.exit(0) at once, so the server never gets a close frame
// fails: quit-command
// message: /without a close frame.*process\.exit\(\) stops Node\.js at once/s
// passes: sends-lines, prints-messages, end-of-input
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line === '/quit') process.exit(0);
    if (line.trim() !== '') ws.send(line);
  });
  input.on('close', () => ws.close());
  ws.on('close', () => {
    console.log('Disconnected.');
    input.close();
  });
});
ws.on('message', (data) => console.log(data.toString()));
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
