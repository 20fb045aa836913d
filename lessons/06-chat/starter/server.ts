// Lesson 06 · Multi-user chat
// A client's first message is its name; after that, pass each of its messages on to the
// other joined users as "[Name]: message", and announce who joins and who leaves.
// Run `npm run lesson 6` to read the lesson, `npm run check -- 6` to check your work.
import { WebSocketServer, type WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

/** The users who have joined: each connection that has sent a name, with that name. */
const users = new Map<WebSocket, string>();

// TODO 1: write a function broadcast(text: string, sender?: WebSocket) that sends `text` to
//         every joined user (users.keys()) that is not the sender and whose readyState is
//         WebSocket.OPEN. You will use it for the chat lines and for the notices.

wss.on('listening', () => console.log(`Chat server listening on ws://localhost:${port}`));

wss.on('connection', (socket: WebSocket) => {
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return;
    const text = data.toString();
    const name = users.get(socket);
    console.log(`Received ${JSON.stringify(text)} from ${name ?? 'a client with no name yet'}`);

    // TODO 2: if this connection has no name yet, the message is its name:
    //   - trim it; if nothing is left, send "[Server]: Name cannot be empty." and stop here;
    //   - otherwise remember it (users.set), send "[Server]: Welcome, <name>!" to this
    //     client, and broadcast "[Server]: <name> has joined the chat." to the others.

    // TODO 3: if it already has a name, broadcast "[<name>]: <text>" to the others.
  });

  // TODO 4: on 'close', if this connection had joined, remove it from users and
  //         broadcast "[Server]: <name> has left the chat." to everyone still there.
});
