// mutant: the welcome lists every joined user of the server, not the other users of the room
// fails: rooms-apart
// message: /"users" are the other users in the room the user enters/
// passes: default-room
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

const MAX_NAME_LENGTH = 32;
const MAX_TEXT_LENGTH = 1000;
const HISTORY_LENGTH = 50;
const DEFAULT_ROOM = 'general';
const ROOM_NAME = /^[a-z0-9-]{1,32}$/;

/** What a client may send, once it has been checked. */
type ClientMessage =
  | { type: 'join'; name: string; room: string }
  | { type: 'say'; text: string }
  | { type: 'switch'; room: string }
  | { type: 'rooms' }
  | { type: 'whisper'; to: string; text: string };

type ErrorCode = 'bad-json' | 'unknown-type' | 'bad-field' | 'not-joined' | 'already-joined' | 'name-taken' | 'no-such-user';

/** A refusal, sent only to the client whose message was refused. */
type ErrorMessage = { type: 'error'; code: ErrorCode; message: string };

/** A chat line, as everyone in its room receives it and as its room's history keeps it. */
type ChatMessage = { type: 'message'; id: number; from: string; text: string; at: number; room: string };

/** What the server sends. */
type ServerMessage =
  | { type: 'welcome'; name: string; room: string; users: string[]; history: ChatMessage[] }
  | { type: 'joined'; name: string; room: string }
  | ChatMessage
  | { type: 'left'; name: string; room: string }
  | { type: 'rooms'; rooms: { name: string; users: number }[] }
  | { type: 'whisper'; from: string; text: string }
  | { type: 'whisper'; to: string; text: string }
  | ErrorMessage;

interface Room {
  name: string;
  /** The users in the room, in the order they came in. */
  members: Set<User>;
  /** Its last HISTORY_LENGTH chat lines, oldest first, kept when the room empties. */
  history: ChatMessage[];
}

interface User {
  socket: WebSocket;
  name: string;
  room: Room;
}

/** The users who have joined, by connection. */
const users = new Map<WebSocket, User>();
/** Every room that has ever had a user. */
const rooms = new Map<string, Room>();
/** The id of the last chat message; ids are one sequence for all rooms. */
let lastId = 0;

function refuse(code: ErrorCode, message: string): ErrorMessage {
  return { type: 'error', code, message };
}

/** A plain JSON object: not null, not an array, not a string or a number. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_TEXT_LENGTH;
}

function isRoomName(value: unknown): value is string {
  return typeof value === 'string' && ROOM_NAME.test(value);
}

const TEXT_RULE = `"text" must be a string of 1 to ${MAX_TEXT_LENGTH} characters.`;
const ROOM_RULE = '"room" must be 1 to 32 characters of a-z, 0-9 and -.';

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
      const room = value.room === undefined ? DEFAULT_ROOM : value.room;
      if (!isRoomName(room)) return refuse('bad-field', ROOM_RULE);
      return { type: 'join', name, room };
    }
    case 'say':
      return isText(value.text) ? { type: 'say', text: value.text } : refuse('bad-field', TEXT_RULE);
    case 'switch':
      return isRoomName(value.room) ? { type: 'switch', room: value.room } : refuse('bad-field', ROOM_RULE);
    case 'rooms':
      return { type: 'rooms' };
    case 'whisper':
      if (typeof value.to !== 'string') return refuse('bad-field', '"to" must be the name of a user.');
      return isText(value.text) ? { type: 'whisper', to: value.to, text: value.text } : refuse('bad-field', TEXT_RULE);
    default:
      return refuse('unknown-type', '"type" must be one of "join", "say", "switch", "rooms" and "whisper".');
  }
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** Sends `message` to every user in `room`. */
function sendToRoom(room: Room, message: ServerMessage): void {
  const text = JSON.stringify(message); // Serialised once, however many receive it.
  for (const member of room.members) {
    if (member.socket.readyState === WebSocket.OPEN) member.socket.send(text);
  }
}

/** The room called `name`, made on first use. */
function roomNamed(name: string): Room {
  let room = rooms.get(name);
  if (room === undefined) {
    room = { name, members: new Set(), history: [] };
    rooms.set(name, room);
  }
  return room;
}

/** The joined user with this name, in any mix of capitals (names are unique that way). */
function findUser(name: string): User | undefined {
  const wanted = name.toLowerCase();
  for (const user of users.values()) if (user.name.toLowerCase() === wanted) return user;
  return undefined;
}

/** Brings `user` into `room`: a welcome for the user, a notice for those already there. */
function enter(user: User, room: Room): void {
  user.room = room;
  const others = [...users.values()].filter((other) => other !== user).map((other) => other.name);
  send(user.socket, { type: 'welcome', name: user.name, room: room.name, users: others, history: room.history });
  sendToRoom(room, { type: 'joined', name: user.name, room: room.name });
  room.members.add(user);
}

/** Takes `user` out of its room and tells those still there. */
function leaveRoom(user: User): void {
  user.room.members.delete(user);
  sendToRoom(user.room, { type: 'left', name: user.name, room: user.room.name });
}

function join(socket: WebSocket, name: string, roomName: string): void {
  if (users.has(socket)) {
    send(socket, refuse('already-joined', 'You have already joined.'));
    return;
  }
  if (findUser(name)) {
    send(socket, refuse('name-taken', `The name "${name}" is taken; choose another.`));
    return;
  }
  const room = roomNamed(roomName);
  const user: User = { socket, name, room };
  users.set(socket, user);
  enter(user, room);
  console.log(`${name} joined ${room.name} (${users.size} online)`);
}

function switchRoom(user: User, roomName: string): void {
  if (roomName === user.room.name) {
    send(user.socket, refuse('bad-field', `You are already in "${roomName}".`));
    return;
  }
  leaveRoom(user);
  enter(user, roomNamed(roomName));
}

function say(user: User, text: string): void {
  const room = user.room;
  const message: ChatMessage = { type: 'message', id: ++lastId, from: user.name, text, at: Date.now(), room: room.name };
  room.history.push(message);
  if (room.history.length > HISTORY_LENGTH) room.history.shift();
  sendToRoom(room, message);
}

function whisper(user: User, to: string, text: string): void {
  const target = findUser(to);
  if (target === undefined) {
    send(user.socket, refuse('no-such-user', `Nobody called "${to}" is here.`));
    return;
  }
  send(target.socket, { type: 'whisper', from: user.name, text });
  send(user.socket, { type: 'whisper', to: target.name, text });
}

/** The rooms that have users now, sorted by name (room names are plain ASCII). */
function roomList(): { name: string; users: number }[] {
  return [...rooms.values()]
    .filter((room) => room.members.size > 0)
    .map((room) => ({ name: room.name, users: room.members.size }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function handle(socket: WebSocket, message: ClientMessage): void {
  if (message.type === 'join') join(socket, message.name, message.room);
  else if (message.type === 'rooms') send(socket, { type: 'rooms', rooms: roomList() });
  else {
    // Everything else needs a user.
    const user = users.get(socket);
    if (user === undefined) send(socket, refuse('not-joined', 'Join first: {"type":"join","name":"..."}.'));
    else if (message.type === 'say') say(user, message.text);
    else if (message.type === 'switch') switchRoom(user, message.room);
    else whisper(user, message.to, message.text);
  }
}

wss.on('listening', () => console.log(`Chat server with rooms listening on ws://localhost:${port}`));
wss.on('error', (error) => {
  console.error(`Could not start the server: ${error.message}`);
  process.exit(1);
});

wss.on('connection', (socket: WebSocket) => {
  // Without this listener, one client that sends a broken frame would crash the whole server.
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const message = parse(data, isBinary);
    if (message.type === 'error') send(socket, message);
    else handle(socket, message);
  });

  // 'close' comes for every ending: a close frame, a dropped connection, or an error.
  socket.on('close', () => {
    const user = users.get(socket);
    if (user === undefined) return; // It never joined: nobody to tell.
    users.delete(socket);
    leaveRoom(user);
    console.log(`${user.name} left (${users.size} online)`);
  });
});
