// Lesson 03 · Your first client
// Connect, say hello, print the server's reply, and close.
// Run `npm run lesson 3` to read the lesson, `npm run check -- 3` to check your work.
import WebSocket from 'ws';

// The checker tells your client where its server is through WS_URL; the default is for running it yourself.
const url = process.env.WS_URL ?? 'ws://localhost:8080';
const ws = new WebSocket(url);

ws.on('open', () => {
  console.log(`Connected to ${url}`);
  // TODO 1: send the text message "Hello, Server!"
});

// TODO 2: when the first message arrives, print it as "Received: <message>",
//         then close the connection normally. (No process.exit(): once the
//         connection has closed, the program ends by itself.)

// TODO 3: add an 'error' listener. When the connection cannot be made, print a line
//         with "Could not connect" to stderr (console.error) and set process.exitCode = 1.
