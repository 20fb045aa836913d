// mutant: a separate message-id counter for each room
// breaks: "Message ids stay one sequence for all rooms." (`id` is 1 for the server's first chat message, +1 for each next one)
// fails: ids-across-rooms
// message: /had the ids 1, 1 and 2.*one counter for the server, not one per room/s
import { WebSocketServer, WebSocket, type RawData } from 'ws';

const PORT = Number(process.env.PORT ?? 8080);
const HISTORY_SIZE = 50;
const DEFAULT_ROOM = 'general';
const ROOM_NAME = /^[a-z0-9-]{1,32}$/;

type ClientMessage =
  | { type: 'join'; name: string; room: string }
  | { type: 'say'; text: string }
  | { type: 'switch'; room: string }
  | { type: 'rooms' }
  | { type: 'whisper'; to: string; text: string };

type ChatMessage = { type: 'message'; id: number; room: string; from: string; text: string; at: number };

type ServerMessage =
  | { type: 'welcome'; name: string; room: string; users: string[]; history: ChatMessage[] }
  | { type: 'joined'; name: string; room: string }
  | ChatMessage
  | { type: 'left'; name: string; room: string }
  | { type: 'rooms'; rooms: { name: string; users: number }[] }
  | { type: 'whisper'; from: string; text: string }
  | { type: 'whisper'; to: string; text: string }
  | { type: 'error'; code: ErrorCode; message: string };

type ErrorCode =
  | 'bad-json'
  | 'unknown-type'
  | 'bad-field'
  | 'not-joined'
  | 'already-joined'
  | 'name-taken'
  | 'no-such-user';

type Parsed =
  | { ok: true; msg: ClientMessage }
  | { ok: false; code: ErrorCode; message: string };

interface User {
  name: string;
  room: string;
}

// Joined users, in the order they joined.
const users = new Map<WebSocket, User>();
// The members of each room that has anyone in it, in the order they entered it.
const rooms = new Map<string, Set<WebSocket>>();
// The last HISTORY_SIZE messages of every room ever used; kept when a room empties.
const histories = new Map<string, ChatMessage[]>();
// The next message id of each room.
const nextIds = new Map<string, number>();

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(code: ErrorCode, message: string): Parsed {
  return { ok: false, code, message };
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 1000;
}

function isRoomName(value: unknown): value is string {
  return typeof value === 'string' && ROOM_NAME.test(value);
}

function parse(data: RawData, isBinary: boolean): Parsed {
  if (isBinary) return fail('bad-json', 'Binary frames are not accepted; send JSON as text.');
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return fail('bad-json', 'That message is not valid JSON.');
  }
  if (!isObject(value)) return fail('bad-json', 'A message must be a JSON object.');
  if (typeof value.type !== 'string') return fail('unknown-type', 'A message needs a string field "type".');
  switch (value.type) {
    case 'join': {
      if (typeof value.name !== 'string') return fail('bad-field', 'join needs a string "name".');
      const name = value.name.trim();
      if (name.length < 1 || name.length > 32) {
        return fail('bad-field', 'A name must be 1 to 32 characters long.');
      }
      const room = value.room ?? DEFAULT_ROOM;
      if (!isRoomName(room)) {
        return fail('bad-field', 'A room name is 1 to 32 characters of a-z, 0-9 and -.');
      }
      return { ok: true, msg: { type: 'join', name, room } };
    }
    case 'say': {
      if (!isText(value.text)) return fail('bad-field', 'say needs a "text" of 1 to 1000 characters.');
      return { ok: true, msg: { type: 'say', text: value.text } };
    }
    case 'switch': {
      if (!isRoomName(value.room)) {
        return fail('bad-field', 'A room name is 1 to 32 characters of a-z, 0-9 and -.');
      }
      return { ok: true, msg: { type: 'switch', room: value.room } };
    }
    case 'rooms':
      return { ok: true, msg: { type: 'rooms' } };
    case 'whisper': {
      if (typeof value.to !== 'string') return fail('bad-field', 'whisper needs a string "to".');
      if (!isText(value.text)) return fail('bad-field', 'whisper needs a "text" of 1 to 1000 characters.');
      return { ok: true, msg: { type: 'whisper', to: value.to, text: value.text } };
    }
    default:
      return fail('unknown-type', `Unknown message type "${value.type}".`);
  }
}

function send(ws: WebSocket, msg: ServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
}

function sendError(ws: WebSocket, code: ErrorCode, message: string): void {
  send(ws, { type: 'error', code, message });
}

function broadcastToRoom(room: string, msg: ServerMessage, except?: WebSocket): void {
  for (const client of rooms.get(room) ?? []) {
    if (client !== except) send(client, msg);
  }
}

function findUser(name: string): [WebSocket, User] | undefined {
  const wanted = name.toLowerCase();
  for (const entry of users) {
    if (entry[1].name.toLowerCase() === wanted) return entry;
  }
  return undefined;
}

function enterRoom(ws: WebSocket, user: User, room: string): void {
  const members = rooms.get(room) ?? new Set<WebSocket>();
  const others = [...members].map((client) => users.get(client)!.name);
  members.add(ws);
  rooms.set(room, members);
  user.room = room;
  send(ws, {
    type: 'welcome',
    name: user.name,
    room,
    users: others,
    history: [...(histories.get(room) ?? [])],
  });
  broadcastToRoom(room, { type: 'joined', name: user.name, room }, ws);
}

function leaveRoom(ws: WebSocket, user: User): void {
  const members = rooms.get(user.room);
  if (members === undefined) return;
  members.delete(ws);
  if (members.size === 0) rooms.delete(user.room);
  broadcastToRoom(user.room, { type: 'left', name: user.name, room: user.room });
}

function handle(ws: WebSocket, msg: ClientMessage): void {
  const user = users.get(ws);
  if (msg.type === 'join') {
    if (user !== undefined) return sendError(ws, 'already-joined', 'You have already joined.');
    if (findUser(msg.name) !== undefined) {
      return sendError(ws, 'name-taken', `The name "${msg.name}" is taken.`);
    }
    const newUser: User = { name: msg.name, room: msg.room };
    users.set(ws, newUser);
    enterRoom(ws, newUser, msg.room);
    return;
  }
  if (msg.type === 'rooms') {
    const list = [...rooms]
      .map(([name, members]) => ({ name, users: members.size }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return send(ws, { type: 'rooms', rooms: list });
  }
  if (user === undefined) return sendError(ws, 'not-joined', 'Join before you do anything else.');
  switch (msg.type) {
    case 'say': {
      const id = nextIds.get(user.room) ?? 1;
      nextIds.set(user.room, id + 1);
      const message: ChatMessage = {
        type: 'message',
        id,
        room: user.room,
        from: user.name,
        text: msg.text,
        at: Date.now(),
      };
      const history = histories.get(user.room) ?? [];
      history.push(message);
      if (history.length > HISTORY_SIZE) history.shift();
      histories.set(user.room, history);
      broadcastToRoom(user.room, message);
      return;
    }
    case 'switch': {
      if (msg.room === user.room) return sendError(ws, 'bad-field', `You are already in "${msg.room}".`);
      leaveRoom(ws, user);
      enterRoom(ws, user, msg.room);
      return;
    }
    case 'whisper': {
      const target = findUser(msg.to);
      if (target === undefined) return sendError(ws, 'no-such-user', `Nobody called "${msg.to}" is here.`);
      const [targetWs, targetUser] = target;
      send(targetWs, { type: 'whisper', from: user.name, text: msg.text });
      send(ws, { type: 'whisper', to: targetUser.name, text: msg.text });
      return;
    }
  }
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: PORT });

wss.on('connection', (ws) => {
  ws.on('error', (err) => console.error('connection error:', err.message));

  ws.on('message', (data, isBinary) => {
    const parsed = parse(data, isBinary);
    if (!parsed.ok) return sendError(ws, parsed.code, parsed.message);
    handle(ws, parsed.msg);
  });

  ws.on('close', () => {
    const user = users.get(ws);
    if (user === undefined) return;
    users.delete(ws);
    leaveRoom(ws, user);
  });
});

wss.on('listening', () => console.log(`chat server listening on ws://127.0.0.1:${PORT}`));
