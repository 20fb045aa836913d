// Lesson 06 · Multi-user chat: the first message is a user's name; after that, every message
// goes to the other joined users as "[Name]: message". Joins and leaves are announced.
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

/** The users who have joined: each connection that has sent a name, with that name. */
const users = new Map<WebSocket, string>();

/** Sends `text` to every joined user, except `sender` when given. */
function broadcast(text: string, sender?: WebSocket): void {
  for (const client of users.keys()) {
    if (client !== sender && client.readyState === WebSocket.OPEN) client.send(text);
  }
}

wss.on('listening', () => console.log(`Chat server listening on ws://localhost:${port}`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

wss.on('connection', (socket: WebSocket) => {
  // Without this listener, one client that sends a broken frame would crash the whole server.
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return; // The chat speaks text only.
    const text = data.toString();
    const name = users.get(socket);

    if (name !== undefined) {
      // Joined: this is a chat line, for everyone else.
      broadcast(`[${name}]: ${text}`, socket);
      return;
    }

    // Still waiting for a name: this message is the name.
    const newName = text.trim();
    if (newName === '') {
      socket.send('[Server]: Name cannot be empty.');
      return;
    }
    users.set(socket, newName);
    console.log(`${newName} joined (${users.size} online)`);
    socket.send(`[Server]: Welcome, ${newName}!`);
    broadcast(`[Server]: ${newName} has joined the chat.`, socket);
  });

  // 'close' comes for every ending: a close frame, a dropped connection, or an error.
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return; // It never joined: nobody to tell.
    users.delete(socket);
    console.log(`${name} left (${users.size} online)`);
    broadcast(`[Server]: ${name} has left the chat.`);
  });
});
