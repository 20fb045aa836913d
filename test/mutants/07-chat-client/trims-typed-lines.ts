// mutant: trims each typed line before sending it
// fails: sends-as-typed
// message: /"  spaces around,  and  inside  ".*trimmed it/s
// passes: sends-lines, prints-messages, quit-command
// breaks: "Every non-empty line read from standard input is sent as one text message" (the line as typed, spaces included)
import { WebSocket } from 'ws';
import * as readline from 'node:readline';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
const rl = readline.createInterface({ input: process.stdin });

const pending: string[] = [];
let opened = false;
let inputEnded = false;

function send(text: string) {
  if (opened) ws.send(text);
  else pending.push(text);
}

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
  const text = line.trim();
  if (text === '/quit') {
    rl.close();
    return;
  }
  if (text === '') return;
  send(text);
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
