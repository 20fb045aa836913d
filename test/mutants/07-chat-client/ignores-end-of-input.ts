// mutant: handles /quit, but not the end of input (Ctrl-D): the connection stays open
// fails: end-of-input
// message: /still open 1\.0 s later.*rl\.on\('close'/s
// passes: sends-lines, prints-messages, quit-command, server-closes
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
