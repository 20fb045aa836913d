// mutant: reads input from the start and closes it only on /quit or Ctrl-D, so a refused connection leaves it reading
// fails: could-not-connect
// message: /still running after.*readline interface/s
// passes: sends-lines, prints-messages, quit-command
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
const input = createInterface({ input: process.stdin });

input.on('line', (line) => {
  if (line === '/quit') ws.close();
  else if (line.trim() !== '' && ws.readyState === WebSocket.OPEN) ws.send(line);
});
input.on('close', () => ws.close());
ws.on('message', (data) => console.log(data.toString()));
ws.on('close', (code) => {
  if (code !== 1006) {
    console.log('Disconnected.');
    input.close();
  }
});
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
