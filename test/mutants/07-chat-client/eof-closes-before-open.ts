// mutant: queues early lines, but end of input calls close() at once, even while still connecting
// fails: end-of-input
// message: /input ended at once.*gave up instead of connecting/s
// passes: sends-lines, prints-messages, quit-command
// breaks: "Every non-empty line read from standard input is sent" and "On end of input ... close normally (1000) and exit with status 0" (piped input that ends before 'open' is lost)
import { WebSocket } from 'ws';
import * as readline from 'node:readline';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
const rl = readline.createInterface({ input: process.stdin });

const queue: string[] = [];

ws.on('open', () => {
  while (queue.length > 0) ws.send(queue.shift()!);
});

ws.on('message', (data) => {
  console.log(data.toString());
});

rl.on('line', (line) => {
  if (line === '/quit') {
    rl.close();
    return;
  }
  if (line === '') return;
  if (ws.readyState === WebSocket.OPEN) ws.send(line);
  else queue.push(line);
});

rl.on('close', () => {
  ws.close(1000);
});

ws.on('error', (err) => {
  console.error(`Could not connect to ${url}: ${err.message}`);
  process.exit(1);
});

ws.on('close', () => {
  console.log('Disconnected');
  process.exit(0);
});
