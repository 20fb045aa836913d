// Lesson 15 · The opening handshake by hand
// Answer WebSocket's opening handshake yourself: node:http and node:crypto only, no ws.
// Run `npm run lesson 15` to read the lesson, `npm run check -- 15` to check your work.
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const port = Number(process.env.PORT ?? 8080);

// Every WebSocket server appends this same string to the client's key before hashing it.
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const HELLO = 'Hello from a hand-made handshake!';

/**
 * TODO 2: the Sec-WebSocket-Accept value for a key: base64(SHA-1(key + WEBSOCKET_GUID)).
 * import { createHash } from 'node:crypto'. RFC 6455's example: the key
 * dGhlIHNhbXBsZSBub25jZQ== gives s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.
 */
function acceptFor(key: string): string {
  return key + WEBSOCKET_GUID; // not yet: hash it with SHA-1, then encode the digest in base64
}

/** TODO 4: a text frame: the byte 0x81 (FIN set, opcode 1), the length (no mask bit), then the bytes. */
function textFrame(text: string): Buffer {
  return Buffer.from(text); // not yet a frame: the two header bytes are missing
}

// Plain HTTP requests (no upgrade asked for) arrive here.
const server = createServer((request, response) => {
  console.log(`${request.method} ${request.url}: plain HTTP`);
  // TODO 6: one of the two upgrade headers alone (Upgrade: websocket, or a Connection header
  //   holding "upgrade") is a broken upgrade request: 400. Neither: 426 Upgrade Required, with
  //   the header Upgrade: websocket.
  response.writeHead(200, { 'Content-Type': 'text/plain' }).end('Not a WebSocket server yet\n');
});

// Requests with "Connection: Upgrade" and an Upgrade header arrive here, with the raw TCP socket.
server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
  // TODO 1: add an 'error' listener to the socket, so that one client whose connection fails
  //   cannot stop the whole server.

  // TODO 5: refuse what is not a valid upgrade (write a response, then end the socket):
  //   - the method is not GET, Upgrade is not websocket (in any case), or the key is not the
  //     base64 of 16 bytes: 400 Bad Request;
  //   - Sec-WebSocket-Version is not 13: 426 Upgrade Required with Sec-WebSocket-Version: 13.

  const key = request.headers['sec-websocket-key'] ?? '';
  console.log(`Upgrade request with the key ${key}`);
  // TODO 3: each line of the head ends with \r\n, and an empty line ends the head. Add
  //   Connection: Upgrade, and Sec-WebSocket-Protocol: chat when the client offers chat.
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', `Sec-WebSocket-Accept: ${acceptFor(key)}`].join('\n'));

  socket.write(textFrame(HELLO));

  // TODO 7: when the client's close frame arrives (socket.on('data', (chunk) => ...)), answer
  //   with a close frame carrying the same code, and end the connection (socket.end(frame)).
});

server.listen(port, '127.0.0.1', () => console.log(`Hand-made WebSocket server on ws://localhost:${port}`));
