// mutant: sends each raw stdin 'data' chunk as one message, so several lines in one chunk become one message
// fails: sends-lines
// message: /arrived together were sent as one message.*readline/s
// passes: prints-messages
// breaks: "Every non-empty line read from standard input is sent as one text message"
import { WebSocket } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

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

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  const text = chunk.replace(/\r?\n$/, ''); // strip the Enter key
  if (text === '/quit') {
    inputEnded = true;
    if (opened) ws.close(1000);
    return;
  }
  if (text === '') return;
  if (opened) ws.send(text);
  else pending.push(text);
});

process.stdin.on('end', () => {
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
