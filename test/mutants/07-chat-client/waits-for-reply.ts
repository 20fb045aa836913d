// mutant: asks for a line, sends it, then waits for one reply before asking again (request/response)
// fails: prints-messages
// message: /did not print the line "\[Server\]: Bob has joined the chat\.".*rl\.question\(\)/s
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  const input = createInterface({ input: process.stdin, output: process.stdout });
  const ask = () =>
    input.question('> ', (line) => {
      if (line === '/quit') return ws.close();
      ws.send(line);
      ws.once('message', (data) => {
        console.log(data.toString());
        ask();
      });
    });
  ask();
  ws.on('close', () => {
    console.log('Disconnected.');
    input.close();
  });
});
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
