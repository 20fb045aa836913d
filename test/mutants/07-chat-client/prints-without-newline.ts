// mutant: writes each message with process.stdout.write, so messages run together on one line
// fails: prints-messages
// message: /not on a line of its own/
// passes: sends-lines
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line === '/quit') ws.close();
    else if (line.trim() !== '') ws.send(line);
  });
  input.on('close', () => ws.close());
  ws.on('close', () => {
    process.stdout.write('Disconnected.\n');
    input.close();
  });
});
ws.on('message', (data) => process.stdout.write(data.toString()));
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
