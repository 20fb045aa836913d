import { WebSocket, WebSocketServer, type RawData } from 'ws';

/**
 * Shared parts of the lesson 11 mutants (not a mutant itself: its name starts with "_"). Their
 * mistakes are all in what lesson 11 adds, so the lesson 09 chat underneath is written once,
 * here, correctly; each mutant writes its own heartbeat, pong and shutdown around it.
 */
export const HEARTBEAT_MS = Number(process.env.HEARTBEAT_MS ?? 30_000);

export function listen(): WebSocketServer {
  return new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
}

/** The joined users, in the order they joined. */
export const users = new Map<WebSocket, string>();
let lastId = 0;

export function send(socket: WebSocket, message: object): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

export function broadcast(message: object): void {
  for (const client of users.keys()) send(client, message);
}

export function refuse(socket: WebSocket, code: string, message: string): void {
  send(socket, { type: 'error', code, message });
}

/**
 * Handles a message of the lesson 09 protocol (join, say, and every error). Any other JSON
 * object is returned, unanswered, for the caller: lesson 11's ping, or an unknown type.
 */
export function handleChat(socket: WebSocket, data: RawData, isBinary: boolean): Record<string, unknown> | undefined {
  const message = parseObject(data, isBinary);
  if (!message) refuse(socket, 'bad-json', 'Send one JSON object.');
  else if (message.type === 'join') join(socket, message.name);
  else if (message.type === 'say') say(socket, message.text);
  else return message;
  return undefined;
}

function parseObject(data: RawData, isBinary: boolean): Record<string, unknown> | undefined {
  try {
    const value: unknown = isBinary ? undefined : JSON.parse(data.toString());
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function join(socket: WebSocket, name: unknown): void {
  const wanted = typeof name === 'string' ? name.trim() : '';
  if (users.has(socket)) return refuse(socket, 'already-joined', 'You have joined already.');
  if (wanted.length < 1 || wanted.length > 32) return refuse(socket, 'bad-field', 'A name has 1 to 32 characters.');
  if ([...users.values()].some((taken) => taken.toLowerCase() === wanted.toLowerCase())) return refuse(socket, 'name-taken', 'That name is taken.');
  send(socket, { type: 'welcome', name: wanted, users: [...users.values()] });
  broadcast({ type: 'joined', name: wanted });
  users.set(socket, wanted);
}

function say(socket: WebSocket, text: unknown): void {
  const from = users.get(socket);
  if (from === undefined) return refuse(socket, 'not-joined', 'Join first.');
  if (typeof text !== 'string' || text.length < 1 || text.length > 1000) return refuse(socket, 'bad-field', 'A text has 1 to 1000 characters.');
  broadcast({ type: 'message', id: ++lastId, from, text, at: Date.now() });
}

/** Answers an application-level ping as the contract says; refuses any other unknown type. */
export function answerPing(socket: WebSocket, message: Record<string, unknown>): void {
  if (message.type === 'ping') send(socket, { type: 'pong', id: message.id });
  else refuse(socket, 'unknown-type', 'Unknown type.');
}

/** Tells the others that a joined user left, with `reason` when given; a user that never joined leaves quietly. */
export function announceLeft(socket: WebSocket, reason?: string): void {
  const name = users.get(socket);
  if (name === undefined) return;
  users.delete(socket);
  broadcast(reason === undefined ? { type: 'left', name } : { type: 'left', name, reason });
}
