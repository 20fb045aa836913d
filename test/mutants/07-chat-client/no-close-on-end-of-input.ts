// mutant: handles /quit but not end of input, so Ctrl+D (or a closed pipe) leaves it hanging
// fails: end-of-input
// message: /still open 1\.0 s later.*rl\.on\('close'/s
// passes: sends-lines, prints-messages, quit-command
// breaks: "On end of input, or the line `/quit`, close normally (1000) and exit with status 0"
import { WebSocket } from 'ws';
import * as readline from 'node:readline';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
const rl = readline.createInterface({ input: process.stdin });

const pending: string[] = [];
let opened = false;

ws.on('open', () => {
  opened = true;
  for (const text of pending) ws.send(text);
  pending.length = 0;
});

ws.on('message', (data) => {
  console.log(data.toString());
});

rl.on('line', (line) => {
  if (line === '/quit') {
    ws.close(1000);
    return;
  }
  if (line === '') return;
  if (opened) ws.send(line);
  else pending.push(line);
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
