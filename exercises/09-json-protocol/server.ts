// Lesson 09 · A JSON protocol
// The chat of lesson 06, spoken in JSON objects: check every message before trusting it,
// answer a bad one with an error, and number the chat lines.
// Run `npm run lesson 9` to read the lesson, `npm run check -- 9` to check your work.
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

/** What a client may send, once it has been checked. */
type ClientMessage = { type: 'join'; name: string } | { type: 'say'; text: string };

type ErrorCode = 'bad-json' | 'unknown-type' | 'bad-field' | 'not-joined' | 'already-joined' | 'name-taken';

/** A refusal, sent only to the client whose message was refused. */
type ErrorMessage = { type: 'error'; code: ErrorCode; message: string };

/** What the server sends. */
type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'joined'; name: string }
  | { type: 'message'; id: number; from: string; text: string; at: number }
  | { type: 'left'; name: string }
  | ErrorMessage;

/** The users who have joined, in the order they joined (a Map keeps insertion order). */
const users = new Map<WebSocket, string>();

// TODO 1: keep the id of the last chat message (let lastId = 0): ids are one sequence for
//         the whole server, 1 for its first chat message, and one more for each next one.

function refuse(code: ErrorCode, message: string): ErrorMessage {
  return { type: 'error', code, message };
}

/** Turns a frame into a message the server understands, or into the error to send back. */
function parse(data: RawData, isBinary: boolean): ClientMessage | ErrorMessage {
  // TODO 2: check the frame step by step, and return refuse(code, sentence) at the first problem:
  //   - a binary frame is 'bad-json';
  //   - JSON.parse(data.toString()) into a variable of type unknown, inside try/catch:
  //     when it throws, 'bad-json';
  //   - not a plain object (null, an array, a number, a string…) is 'bad-json': write a
  //     type guard isObject(value: unknown): value is Record<string, unknown>;
  //   - then switch on value.type: 'join' needs a string name, 1 to 32 characters once
  //     trimmed (return the trimmed name); 'say' needs a string text of 1 to 1000
  //     characters, kept exactly as sent; a bad field is 'bad-field' (name the limits
  //     with constants: MAX_NAME_LENGTH, MAX_TEXT_LENGTH);
  //   - any other type (or none) is 'unknown-type'.
  console.log(`Received ${isBinary ? 'a binary frame' : JSON.stringify(data.toString())}`);
  return refuse('unknown-type', 'This server does not understand any message yet.');
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** Sends `message` to every joined user. */
function broadcast(message: ServerMessage): void {
  const text = JSON.stringify(message); // Serialised once, however many receive it.
  for (const client of users.keys()) {
    if (client.readyState === WebSocket.OPEN) client.send(text);
  }
}

// TODO 3: write join(socket, name). A connection already in users gets 'already-joined'. A
//         name some joined user has, in any mix of capitals, gets 'name-taken'. Otherwise:
//         send the welcome (users: the names already there, in the order they joined),
//         broadcast { type: 'joined', name } to the others, then users.set(socket, name).

// TODO 4: write say(socket, text). A connection that has not joined gets 'not-joined'.
//         Otherwise broadcast { type: 'message', id: ++lastId, from, text, at: Date.now() }
//         to every joined user, the sender included: its copy is its acknowledgement.

wss.on('listening', () => console.log(`JSON chat server listening on ws://localhost:${port}`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

wss.on('connection', (socket: WebSocket) => {
  // Without this listener, one client that sends a broken frame would crash the whole server.
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const message = parse(data, isBinary);
    if (message.type === 'error') {
      send(socket, message);
      return;
    }
    // TODO 5: hand a 'join' to join() and a 'say' to say(). (Switch on message.type:
    //         TypeScript then knows which fields each kind of message has.)
  });

  // 'close' comes for every ending: a close frame, a dropped connection, or an error.
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return; // It never joined: nobody to tell.
    users.delete(socket);
    console.log(`${name} left (${users.size} online)`);
    broadcast({ type: 'left', name });
  });
});
