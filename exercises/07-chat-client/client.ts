// Lesson 07 · An interactive terminal chat client
// Send every line typed to the chat server; print every message it sends, as soon as it arrives.
// Run `npm run lesson 7` to read the lesson, `npm run check -- 7` to check your work.
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

// The checker tells your client where its server is through WS_URL; the default is for running it yourself.
const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  console.log(`Connected to ${url}. Type your name, then your messages.`);
  // Reading starts once the connection is open; lines typed earlier wait until then.
  const input = createInterface({ input: process.stdin });

  input.on('line', (line) => {
    console.log(`(not sent yet: ${line})`);
    // TODO 1: send the line as a text message, unless it is empty.
    // TODO 2: the line /quit means "leave": close the connection normally instead.
  });

  // TODO 3: at the end of input (Ctrl-D), close the connection normally too.

  // TODO 4: when the connection closes (for whatever reason), print "Disconnected"
  //         and close the readline interface, so nothing keeps the program running.
});

// TODO 5: print every message from the server on its own line, as soon as it arrives.

// TODO 6: as in lesson 03: when the connection cannot be made, print a line with
//         "Could not connect" to stderr and set process.exitCode = 1.
