// mutant: recognizes /quit ignoring case and surrounding spaces, so `/QUIT` or ` /quit` quit instead of being sent
// fails: sends-as-typed
// message: /"\/QUIT", but the connection closed first.*left on "\/QUIT".*line === \'\/quit\'/s
// passes: sends-lines, prints-messages, quit-command
// breaks: "Every non-empty line ... is sent as one text message" / "the line `/quit`" (only that exact line quits)
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
  if (line.trim().toLowerCase() === '/quit') {
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
  if (!opened) {
    console.error(`Could not connect to ${url}: ${err.message}`);
    process.exit(1);
  }
});

ws.on('close', () => {
  console.log('Disconnected');
  process.exit(0);
});
