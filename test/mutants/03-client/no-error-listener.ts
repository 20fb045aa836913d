// mutant: right conversation, but no 'error' listener on the WebSocket
// fails: could-not-connect
// message: /stack trace.*no 'error' listener/s
// passes: hello, prints-reply, closes, exits
import WebSocket from 'ws';

const ws = new WebSocket(process.env.WS_URL ?? 'ws://localhost:8080');
ws.on('open', () => ws.send('Hello, Server!'));
ws.once('message', (data) => {
  console.log(`Received: ${data}`);
  ws.close();
});
