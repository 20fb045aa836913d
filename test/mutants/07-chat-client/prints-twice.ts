// mutant: prints every message twice: a second 'message' listener, added in 'open', and the first one never removed
// fails: prints-messages
// message: /printed \"\[Server\]: Welcome, Alice!\" 2 times.*added once/s
// passes: sends-lines, quit-command
import { createInterface } from 'node:readline';
import WebSocket, { type RawData } from 'ws';

const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);
let opened = false;

ws.on('open', () => {
  opened = true;
  // Moved the printing here, "once we are connected"; the listener below was never deleted.
  ws.on('message', (data: RawData) => console.log(data.toString()));
  console.log(`Connected to ${url}. Type your name, then your messages; /quit or Ctrl-D leaves.`);
  // Lines typed before this moment wait in standard input; reading starts now.
  const input = createInterface({ input: process.stdin });

  // 'line' events leave the event loop free between lines, so messages are printed while we wait.
  input.on('line', (line) => {
    if (line === '/quit') ws.close(1000);
    else if (line.trim() !== '') ws.send(line);
  });

  // The end of input (Ctrl-D, or the end of a piped file) means leaving too.
  input.on('close', () => ws.close(1000));

  // However the connection ends (/quit, Ctrl-D, or the server), this is the one place that finishes.
  ws.on('close', () => {
    console.log('Disconnected.');
    // Stop reading input too: then nothing is left to keep Node.js running.
    input.close();
  });
});

ws.on('message', (data: RawData) => {
  console.log(data.toString());
});

// Without an 'error' listener, a refused connection would crash the program with a stack trace.
ws.on('error', (error) => {
  console.error(opened ? `Connection error: ${error.message}` : `Could not connect to ${url}: ${error.message}`);
  process.exitCode = 1;
});
