// mutant: sends every line, /quit included, as a chat message
// fails: quit-command
// message: /still open.*text "\/quit".*command for your client/s
// passes: sends-lines, prints-messages, end-of-input, server-closes
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
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
