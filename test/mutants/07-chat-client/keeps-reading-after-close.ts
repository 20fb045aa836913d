// mutant: says "Disconnected" when the server leaves, but the readline interface keeps the program alive
// fails: server-closes
// message: /still running.*Call rl\.close\(\) in ws\.on\('close'/s
// passes: sends-lines, prints-messages, end-of-input
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line === '/quit') input.close();
    else if (line.trim() !== '') ws.send(line);
  });
  input.on('close', () => ws.close());
});
ws.on('message', (data) => console.log(data.toString()));
ws.on('close', () => console.log('Disconnected.'));
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
