// mutant: collects incoming messages and prints them only when the user enters the next line (to keep the prompt tidy)
// fails: prints-messages
// message: /did not print the line "\[Server\]: Bob has joined the chat\.".*the moment it arrives/s
// passes: sends-lines
// breaks: "Every message from the server is printed on its own line as soon as it arrives, also while the program is waiting for input"
import { WebSocket } from 'ws';
import * as readline from 'node:readline';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
const rl = readline.createInterface({ input: process.stdin });

const pending: string[] = [];
const inbox: string[] = [];
let opened = false;
let inputEnded = false;

function showInbox() {
  for (const message of inbox) console.log(message);
  inbox.length = 0;
}

ws.on('open', () => {
  opened = true;
  for (const text of pending) ws.send(text);
  pending.length = 0;
  if (inputEnded) ws.close(1000);
});

ws.on('message', (data) => {
  inbox.push(data.toString());
});

rl.on('line', (line) => {
  showInbox();
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
  if (!opened) {
    console.error(`Could not connect to ${url}: ${err.message}`);
    process.exit(1);
  }
});

ws.on('close', () => {
  showInbox();
  console.log('Disconnected');
  process.exit(0);
});
