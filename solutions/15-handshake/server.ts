// Lesson 15 · The opening handshake by hand: node:http and node:crypto only, no ws.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const port = Number(process.env.PORT ?? 8080);

// Every WebSocket server in the world appends this same string to the client's key (RFC 6455).
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const HELLO = 'Hello from a hand-made handshake!';

/** The Sec-WebSocket-Accept answer to a key: it proves the server read this very request. */
function acceptFor(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/** A key is the base64 of 16 bytes: it decodes to 16 bytes and encodes back to itself. */
function isValidKey(key: string | undefined): key is string {
  if (key === undefined) return false;
  const bytes = Buffer.from(key, 'base64');
  return bytes.length === 16 && bytes.toString('base64') === key;
}

/** Whether a comma-separated header (Connection: keep-alive, Upgrade) holds `token`, in any case. */
function hasToken(header: string | undefined, token: string): boolean {
  return (header ?? '').split(',').some((part) => part.trim().toLowerCase() === token);
}

function isWebSocketUpgrade(request: IncomingMessage): boolean {
  return request.headers.upgrade?.toLowerCase() === 'websocket';
}

/** Writes an HTTP response head by hand: the status line, the headers, and the empty line. */
function head(status: string, headers: Record<string, string>): string {
  const lines = [`HTTP/1.1 ${status}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Refuses an upgrade on the raw socket: an HTTP response, then the end of the connection. */
function refuse(socket: Duplex, status: string, headers: Record<string, string> = {}): void {
  socket.end(head(status, { ...headers, Connection: 'close', 'Content-Length': '0' }));
}

/** A frame the server sends: FIN set, no mask, a payload short enough for the 7-bit length. */
function smallFrame(opcode: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

// Plain HTTP requests: this server speaks only WebSocket.
const server = createServer((request, response) => {
  if (isWebSocketUpgrade(request) || hasToken(request.headers.connection, 'upgrade')) {
    // Only one of the two upgrade headers: a broken upgrade request.
    response.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad Request: an upgrade needs both Upgrade and Connection\n');
    return;
  }
  response.writeHead(426, { Upgrade: 'websocket', 'Content-Type': 'text/plain' }).end('This server speaks WebSocket only\n');
});

// Requests with "Connection: Upgrade" and an Upgrade header come here, with the raw TCP socket.
server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
  // Without this listener, a client that resets its connection would crash the whole server.
  socket.on('error', (error) => console.error(`Connection error: ${error.message}`));

  const key = request.headers['sec-websocket-key'];
  if (request.method !== 'GET' || !isWebSocketUpgrade(request) || !isValidKey(key)) {
    refuse(socket, '400 Bad Request');
    return;
  }
  if (request.headers['sec-websocket-version'] !== '13') {
    refuse(socket, '426 Upgrade Required', { 'Sec-WebSocket-Version': '13' });
    return;
  }

  const headers: Record<string, string> = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Accept': acceptFor(key) };
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((name) => name.trim());
  if (offered.includes('chat')) headers['Sec-WebSocket-Protocol'] = 'chat';
  socket.write(head('101 Switching Protocols', headers));
  console.log('A client completed the handshake');

  // From here on the connection carries frames. The first one: unmasked text (opcode 1).
  socket.write(smallFrame(0x1, Buffer.from(HELLO)));

  // Lesson 16 reads every kind of frame from the byte stream. Here only the client's close
  // frame matters, and it is small: one byte for FIN and the opcode (8), one for the mask bit
  // and a 7-bit length, the 4-byte masking key, then the payload: the code (2 bytes), if any.
  socket.on('data', (chunk: Buffer) => {
    if (chunk.length < 6 || (chunk[0]! & 0x0f) !== 0x8) return;
    const length = chunk[1]! & 0x7f;
    const mask = chunk.subarray(2, 6);
    const payload = Buffer.from(chunk.subarray(6, 6 + length).map((byte, i) => byte ^ mask[i % 4]!));
    // Answer with the same code (none when the client sent none), then end the TCP connection.
    socket.end(smallFrame(0x8, payload.subarray(0, 2)));
    console.log(`A client closed the connection${payload.length >= 2 ? ` with code ${payload.readUInt16BE(0)}` : ''}`);
  });
});

server.listen(port, '127.0.0.1', () => console.log(`Hand-made WebSocket server on ws://localhost:${port}`));
