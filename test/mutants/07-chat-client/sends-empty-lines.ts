// mutant: sends every line, empty ones included
// fails: skips-empty-lines
// message: /empty line as an empty message/
// passes: sends-lines, prints-messages, quit-command
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line === '/quit') ws.close();
    else ws.send(line);
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
