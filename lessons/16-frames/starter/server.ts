// Lesson 16 · Frames by hand
// An echo server that reads and writes WebSocket frames itself: node:http and node:crypto only.
// Run `npm run lesson 16` to read the lesson, `npm run check -- 16` to check your work.
// The handshake is lesson 15's (without the hello); the frames are yours to write.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const port = Number(process.env.PORT ?? 8080);

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

// ---- the opening handshake (lesson 15, without the hello) ------------------------------------

function acceptFor(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

function isValidKey(key: string | undefined): key is string {
  if (key === undefined) return false;
  const bytes = Buffer.from(key, 'base64');
  return bytes.length === 16 && bytes.toString('base64') === key;
}

function hasToken(header: string | undefined, token: string): boolean {
  return (header ?? '').split(',').some((part) => part.trim().toLowerCase() === token);
}

function isWebSocketUpgrade(request: IncomingMessage): boolean {
  return request.headers.upgrade?.toLowerCase() === 'websocket';
}

function head(status: string, headers: Record<string, string>): string {
  const lines = [`HTTP/1.1 ${status}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function refuse(socket: Duplex, status: string, headers: Record<string, string> = {}): void {
  socket.end(head(status, { ...headers, Connection: 'close', 'Content-Length': '0' }));
}

/** Answers the handshake; false when the request was refused. */
function handshake(request: IncomingMessage, socket: Duplex): boolean {
  const key = request.headers['sec-websocket-key'];
  if (request.method !== 'GET' || !isWebSocketUpgrade(request) || !isValidKey(key)) {
    refuse(socket, '400 Bad Request');
    return false;
  }
  if (request.headers['sec-websocket-version'] !== '13') {
    refuse(socket, '426 Upgrade Required', { 'Sec-WebSocket-Version': '13' });
    return false;
  }
  const headers: Record<string, string> = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Accept': acceptFor(key) };
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((name) => name.trim());
  if (offered.includes('chat')) headers['Sec-WebSocket-Protocol'] = 'chat';
  socket.write(head('101 Switching Protocols', headers));
  return true;
}

// ---- frames --------------------------------------------------------------------------------

/** A frame from this server: FIN set, no mask. TODO 3: lengths of 126 and more (a 16-bit or a 64-bit length). */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

/**
 * One client's connection. For now it believes that every 'data' chunk is exactly one small,
 * masked, whole frame: true on a good day, for short messages typed by hand.
 */
class Connection {
  constructor(private readonly socket: Duplex) {}

  receive(chunk: Buffer): void {
    // TODO 1: TCP delivers a stream of bytes: a chunk may hold half a frame, or several. Keep the
    //   bytes in a buffer and take whole frames off its front, in a loop.
    // TODO 2: a length of 126 means a 16-bit length follows, 127 a 64-bit one (then the mask).
    const opcode = chunk[0]! & 0x0f;
    const length = chunk[1]! & 0x7f;
    const mask = chunk.subarray(2, 6);
    const payload = Buffer.from(chunk.subarray(6, 6 + length).map((byte, i) => byte ^ mask[i % 4]!));

    // TODO 4: a frame without the mask bit, with a reserved bit set, or with an unknown opcode:
    //   answer a close frame with 1002 and end the connection.
    // TODO 5: ping: answer a pong with the same payload. Pong: nothing.
    if (opcode === OPCODE.close) {
      // TODO 6: echo the code, or none when the client sent none.
      this.socket.end(encodeFrame(OPCODE.close, payload));
      return;
    }
    // TODO 7: fragments (FIN=0, then continuation frames with opcode 0): collect them, and echo
    //   the whole message once, with the first frame's opcode. Control frames may come between.
    // TODO 8: a text message must be valid UTF-8 (else close with 1007); a message over 1 MiB
    //   (1024 * 1024 bytes) closes with 1009.
    this.socket.write(encodeFrame(opcode, payload));
  }
}

// ---- the server ------------------------------------------------------------------------------

const server = createServer((request, response) => {
  if (isWebSocketUpgrade(request) || hasToken(request.headers.connection, 'upgrade')) {
    response.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad Request: an upgrade needs both Upgrade and Connection\n');
    return;
  }
  response.writeHead(426, { Upgrade: 'websocket', 'Content-Type': 'text/plain' }).end('This server speaks WebSocket only\n');
});

server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));
  if (!handshake(request, socket)) return;
  const connection = new Connection(socket);
  // Bytes the client sent right after its request arrive with it, in `head`: they come first.
  if (head.length > 0) connection.receive(head);
  socket.on('data', (chunk: Buffer) => connection.receive(chunk));
});

server.listen(port, '127.0.0.1', () => console.log(`Hand-made WebSocket echo server on ws://localhost:${port}`));
