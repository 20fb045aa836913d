// mutant: silently drops lines that arrive before the connection is open
// fails: end-of-input
// message: /expected the text message "Alice", but the connection closed first.*before the connection was open.*lost them|Your client stopped \(it exited with status 0\) while checker was connected/s
// passes: sends-lines, prints-messages, quit-command
// breaks: "Every non-empty line read from standard input is sent as one text message" (including lines typed or piped before 'open')
import { WebSocket } from 'ws';
import * as readline from 'node:readline';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
const rl = readline.createInterface({ input: process.stdin });

let inputEnded = false;

ws.on('open', () => {
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
  if (ws.readyState === WebSocket.OPEN) {
    ws.send(line);
  }
});

rl.on('close', () => {
  inputEnded = true;
  if (ws.readyState === WebSocket.OPEN) ws.close(1000);
});

ws.on('error', (err) => {
  if (ws.readyState !== WebSocket.OPEN) {
    console.error(`Could not connect to ${url}: ${err.message}`);
    process.exit(1);
  }
});

ws.on('close', () => {
  console.log('Disconnected');
  process.exit(0);
});
