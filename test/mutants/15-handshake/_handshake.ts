import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The lesson 15 reference server in parts (not a mutant itself: its name starts with "_"). A
 * mutant starts it with one part written wrong, the way a learner would write it; the lesson 16
 * mutants reuse the handshake and put their frame reader where the hello was.
 */
export const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const HELLO = 'Hello from a hand-made handshake!';

export interface Parts {
  acceptFor(key: string): string;
  /** The head of a response: the status line, the headers, and the empty line. */
  head(status: string, headers: Record<string, string>): string;
  isWebSocketUpgrade(request: IncomingMessage): boolean;
  /** Whether the Connection header asks for an upgrade. */
  asksUpgrade(connection: string | undefined): boolean;
  isValidKey(key: string | undefined): boolean;
  /** The refusal of a version other than 13. */
  refuseVersion(socket: Duplex): void;
  /** Headers the 101 carries besides those of the reference. */
  extraHeaders(request: IncomingMessage): Record<string, string>;
  /** The subprotocol to answer, from the Sec-WebSocket-Protocol header. */
  chooseProtocol(offered: string | undefined): string | undefined;
  /** Answers a plain HTTP request (the 'request' event). */
  plainRequest(request: IncomingMessage, response: ServerResponse): void;
  /** Whether every socket gets an 'error' listener. */
  listensForErrors: boolean;
  /** What happens once the 101 is written: lesson 15 says hello and answers the close. */
  opened(socket: Duplex, head: Buffer): void;
  helloFrame(text: string): Buffer;
  /** Answers a chunk that holds the client's close frame. */
  answerClose(socket: Duplex, chunk: Buffer): void;
}

export const reference: Parts = {
  acceptFor: (key) => createHash('sha1').update(key + GUID).digest('base64'),
  head: (status, headers) => `${[`HTTP/1.1 ${status}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n')}\r\n\r\n`,
  isWebSocketUpgrade: (request) => request.headers.upgrade?.toLowerCase() === 'websocket',
  asksUpgrade: (connection) => (connection ?? '').split(',').some((part) => part.trim().toLowerCase() === 'upgrade'),
  isValidKey: (key) => key !== undefined && Buffer.from(key, 'base64').length === 16 && Buffer.from(key, 'base64').toString('base64') === key,
  refuseVersion: (socket) => refuse(socket, '426 Upgrade Required', { 'Sec-WebSocket-Version': '13' }),
  extraHeaders: () => ({}),
  chooseProtocol: (offered) => ((offered ?? '').split(',').map((name) => name.trim()).includes('chat') ? 'chat' : undefined),
  plainRequest: (request, response) => {
    if (parts.isWebSocketUpgrade(request) || parts.asksUpgrade(request.headers.connection)) return void response.writeHead(400).end();
    response.writeHead(426, { Upgrade: 'websocket' }).end();
  },
  listensForErrors: true,
  opened: (socket) => {
    socket.write(parts.helloFrame(HELLO));
    socket.on('data', (chunk: Buffer) => {
      if (chunk.length >= 6 && (chunk[0]! & 0x0f) === 0x8) parts.answerClose(socket, chunk);
    });
  },
  helloFrame: (text) => Buffer.concat([Buffer.from([0x81, Buffer.byteLength(text)]), Buffer.from(text)]),
  answerClose: (socket, chunk) => {
    const mask = chunk.subarray(2, 6);
    const payload = Buffer.from(chunk.subarray(6, 6 + (chunk[1]! & 0x7f)).map((byte, i) => byte ^ mask[i % 4]!));
    socket.end(Buffer.concat([Buffer.from([0x88, Math.min(payload.length, 2)]), payload.subarray(0, 2)]));
  },
};

let parts = reference;

export function refuse(socket: Duplex, status: string, headers: Record<string, string> = {}): void {
  socket.end(parts.head(status, { ...headers, Connection: 'close', 'Content-Length': '0' }));
}

/** Starts the server on PORT with the reference parts, but for `changed`. */
export function serve(changed: Partial<Parts>): void {
  parts = { ...reference, ...changed };
  const server = createServer((request, response) => parts.plainRequest(request, response));
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (parts.listensForErrors) socket.on('error', () => {});
    const key = request.headers['sec-websocket-key'];
    const upgrade = parts.isWebSocketUpgrade(request) && parts.asksUpgrade(request.headers.connection);
    if (request.method !== 'GET' || !upgrade || !parts.isValidKey(key)) return refuse(socket, '400 Bad Request');
    if (request.headers['sec-websocket-version'] !== '13') return parts.refuseVersion(socket);
    const headers: Record<string, string> = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Accept': parts.acceptFor(key!) };
    const protocol = parts.chooseProtocol(request.headers['sec-websocket-protocol']);
    if (protocol) headers['Sec-WebSocket-Protocol'] = protocol;
    socket.write(parts.head('101 Switching Protocols', { ...headers, ...parts.extraHeaders(request) }));
    parts.opened(socket, head);
  });
  server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1');
}
