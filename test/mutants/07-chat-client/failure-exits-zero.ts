// mutant: on a failed connection the 'close' handler runs after 'error' and exits with status 0
// fails: could-not-connect
// message: /exited with status 0 after it could not connect/
// passes: sends-lines, prints-messages
// breaks: "If the connection cannot be made, behave as lesson 03 does" (exit with a non-zero status)
import { WebSocket } from 'ws';
import * as readline from 'node:readline';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
const rl = readline.createInterface({ input: process.stdin });

const pending: string[] = [];
let opened = false;
let inputEnded = false;

ws.on('open', () => {
  opened = true;
  for (const text of pending) ws.send(text);
  pending.length = 0;
  if (inputEnded) ws.close(1000);
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
  if (opened) ws.send(line);
  else pending.push(line);
});

rl.on('close', () => {
  inputEnded = true;
  if (opened) ws.close(1000);
});

ws.on('error', (err) => {
  console.error(`Could not connect to ${url}: ${err.message}`);
});

ws.on('close', () => {
  console.log('Disconnected');
  process.exit(0);
});
