// mutant: /quit calls process.exit(0) without closing the WebSocket
// fails: quit-command
// message: /without a close frame.*process\.exit\(\) stops Node\.js at once/s
// passes: sends-lines, prints-messages
// breaks: "On end of input, or the line `/quit`, close normally (1000)" (the server sees 1006, no close frame)
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
    console.log('Bye!');
    process.exit(0);
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
  if (!opened) {
    console.error(`Could not connect to ${url}: ${err.message}`);
    process.exit(1);
  }
});

ws.on('close', () => {
  console.log('Disconnected');
  process.exit(0);
});
