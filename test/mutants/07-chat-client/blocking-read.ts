// mutant: reads standard input synchronously, like input() in Python, which blocks the event loop
// fails: prints-messages
// message: /did not answer a ping.*never returns.*synchronous read of standard input/s
import { readSync } from 'node:fs';
import WebSocket from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

/** Reads one line from standard input, waiting until it is there; null at the end of input. */
function readLine(): string | null {
  let line = '';
  const byte = Buffer.alloc(1);
  for (;;) {
    let count = 0;
    try {
      count = readSync(0, byte, 0, 1, null);
    } catch {
      continue; // EAGAIN: nothing typed yet
    }
    if (count === 0) return line === '' ? null : line;
    const char = byte.toString();
    if (char === '\n') return line;
    line += char;
  }
}

ws.on('open', () => {
  for (let line = readLine(); line !== null; line = readLine()) {
    if (line === '/quit') break;
    if (line.trim() !== '') ws.send(line);
  }
  ws.close();
});
ws.on('message', (data) => console.log(data.toString()));
ws.on('close', () => console.log('Disconnected.'));
ws.on('error', (error) => {
  console.error(`Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
