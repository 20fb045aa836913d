// Lesson 10 · Rooms, history and private messages
// This is the JSON chat of lesson 09, working. Give it rooms: every user is in one room,
// chat lines and notices stay in it, each room remembers its last 50 messages, and a
// whisper goes to one user wherever they are.
// Run `npm run lesson 10` to read the lesson, `npm run check -- 10` to check your work.
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

const MAX_NAME_LENGTH = 32;
const MAX_TEXT_LENGTH = 1000;
// TODO 1: the new rules as constants: HISTORY_LENGTH = 50, DEFAULT_ROOM = 'general', and
//         ROOM_NAME = /^[a-z0-9-]{1,32}$/ for room names.

/** What a client may send, once it has been checked. */
type ClientMessage = { type: 'join'; name: string } | { type: 'say'; text: string };
// TODO 2: join gains room: string; add { type: 'switch'; room: string }, { type: 'rooms' }
//         and { type: 'whisper'; to: string; text: string }.

type ErrorCode = 'bad-json' | 'unknown-type' | 'bad-field' | 'not-joined' | 'already-joined' | 'name-taken';
// TODO 3: one more code: 'no-such-user'.

/** A refusal, sent only to the client whose message was refused. */
type ErrorMessage = { type: 'error'; code: ErrorCode; message: string };

/** What the server sends. */
type ServerMessage =
  | { type: 'welcome'; name: string; users: string[] }
  | { type: 'joined'; name: string }
  | { type: 'message'; id: number; from: string; text: string; at: number }
  | { type: 'left'; name: string }
  | ErrorMessage;
// TODO 4: every one of these but the error gains room: string, and welcome gains
//         history: ChatMessage[] (give the message its own type, ChatMessage: the history
//         keeps them). Add the answers { type: 'rooms'; rooms: { name: string; users: number }[] },
//         { type: 'whisper'; from: string; text: string } and { type: 'whisper'; to: string; text: string }.

/** The users who have joined, in the order they joined (a Map keeps insertion order). */
const users = new Map<WebSocket, string>();
/** The id of the last chat message; ids are one sequence for the whole server. */
let lastId = 0;
// TODO 5: a user now has a name and a room, and a room has its members and its history:
//           interface Room { name: string; members: Set<User>; history: ChatMessage[] }
//           interface User { socket: WebSocket; name: string; room: Room }
//         keep users as a Map<WebSocket, User>, and the rooms as a Map<string, Room> that
//         keeps every room ever used (an empty room keeps its history).

function refuse(code: ErrorCode, message: string): ErrorMessage {
  return { type: 'error', code, message };
}

/** A plain JSON object: not null, not an array, not a string or a number. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns a frame into a message the server understands, or into the error to send back. */
function parse(data: RawData, isBinary: boolean): ClientMessage | ErrorMessage {
  if (isBinary) return refuse('bad-json', 'Binary frames are not understood: send JSON in a text frame.');
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return refuse('bad-json', 'That is not valid JSON.');
  }
  if (!isObject(value)) return refuse('bad-json', 'A message must be a JSON object, like {"type":"say","text":"hi"}.');

  switch (value.type) {
    case 'join': {
      const name = typeof value.name === 'string' ? value.name.trim() : '';
      if (name.length < 1 || name.length > MAX_NAME_LENGTH) {
        return refuse('bad-field', `"name" must be a string of 1 to ${MAX_NAME_LENGTH} characters (surrounding spaces do not count).`);
      }
      // TODO 6: the room: DEFAULT_ROOM when value.room is missing, else a string that
      //         matches ROOM_NAME ('bad-field' when it does not).
      return { type: 'join', name };
    }
    case 'say': {
      const text = value.text;
      if (typeof text !== 'string' || text.length < 1 || text.length > MAX_TEXT_LENGTH) {
        return refuse('bad-field', `"text" must be a string of 1 to ${MAX_TEXT_LENGTH} characters.`);
      }
      return { type: 'say', text };
    }
    // TODO 7: 'switch' needs a room name, 'rooms' needs nothing, 'whisper' needs a string
    //         `to` and a text like say's. (Two small type guards, isText and isRoomName,
    //         keep these cases short.)
    default:
      return refuse('unknown-type', '"type" must be "join" or "say".');
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** Sends `message` to every joined user. */
function broadcast(message: ServerMessage): void {
  // TODO 8: rooms, not the whole server: replace this with sendToRoom(room, message),
  //         which sends to every member of one room.
  const text = JSON.stringify(message); // Serialised once, however many receive it.
  for (const client of users.keys()) {
    if (client.readyState === WebSocket.OPEN) client.send(text);
  }
}

/** True when a joined user already has this name, in any mix of capitals. */
function isTaken(name: string): boolean {
  // TODO 9: names stay unique across the whole server. Whispers need the user itself:
  //         make this findUser(name): User | undefined.
  const wanted = name.toLowerCase();
  for (const taken of users.values()) if (taken.toLowerCase() === wanted) return true;
  return false;
}

function join(socket: WebSocket, name: string): void {
  if (users.has(socket)) {
    send(socket, refuse('already-joined', 'You have already joined.'));
    return;
  }
  if (isTaken(name)) {
    send(socket, refuse('name-taken', `The name "${name}" is taken; choose another.`));
    return;
  }
  // TODO 10: join the room asked for. Entering a room (here and on a switch) is: a welcome
  //          with the room, the other users in that room and its history; a joined notice
  //          (with the room) to those already in the room; then the user becomes a member.
  send(socket, { type: 'welcome', name, users: [...users.values()] });
  broadcast({ type: 'joined', name });
  users.set(socket, name);
  console.log(`${name} joined (${users.size} online)`);
}

function say(socket: WebSocket, text: string): void {
  const from = users.get(socket);
  if (from === undefined) {
    send(socket, refuse('not-joined', 'Join first: {"type":"join","name":"..."}.'));
    return;
  }
  // TODO 11: the message gains its room and goes to that room only; the room's history
  //          keeps it, and forgets the oldest when it holds more than HISTORY_LENGTH.
  broadcast({ type: 'message', id: ++lastId, from, text, at: Date.now() });
}

// TODO 12: switchRoom: switching to the room you are in is 'bad-field'; otherwise the old
//          room gets { type: 'left', name, room }, and the user enters the new room.
// TODO 13: the rooms list: the rooms with at least one user, sorted by name, each with
//          its number of users.
// TODO 14: whisper: an unknown name gets 'no-such-user'; otherwise the receiver gets
//          { type: 'whisper', from, text } and the sender { type: 'whisper', to, text }.

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
    // TODO 15: hand the new kinds of message to their functions. ('switch' and 'whisper'
    //          need a joined user, like 'say'.)
    switch (message.type) {
      case 'error':
        send(socket, message);
        break;
      case 'join':
        join(socket, message.name);
        break;
      case 'say':
        say(socket, message.text);
        break;
    }
  });

  // 'close' comes for every ending: a close frame, a dropped connection, or an error.
  socket.on('close', () => {
    const name = users.get(socket);
    if (name === undefined) return; // It never joined: nobody to tell.
    users.delete(socket);
    console.log(`${name} left (${users.size} online)`);
    // TODO 16: the user leaves its room: the left notice (with the room) goes to that room.
    broadcast({ type: 'left', name });
  });
});
