// Lesson 16 · Frames by hand: an echo server that reads and writes WebSocket frames itself.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const port = Number(process.env.PORT ?? 8080);

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE_BYTES = 1024 * 1024;

const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
const KNOWN_OPCODES = new Set<number>(Object.values(OPCODE));
/** The close codes this server sends when a client breaks the rules. */
const CLOSE = { protocolError: 1002, invalidData: 1007, tooBig: 1009 } as const;

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

/** What the first bytes of a frame say: everything but the payload. */
interface FrameHeader {
  fin: boolean;
  /** The three reserved bits; 0 unless an extension was agreed (none is, here). */
  rsv: number;
  opcode: number;
  mask: Buffer | undefined;
  /** The payload's length; a bigint, since a 64-bit length can exceed what a number holds exactly. */
  length: bigint;
  /** How many bytes the header takes: 2, plus 2 or 8 for a longer length, plus 4 for the mask. */
  size: number;
}

/** Reads a frame's header from the start of `bytes`, or undefined while not all of it has arrived. */
function readHeader(bytes: Buffer): FrameHeader | undefined {
  if (bytes.length < 2) return undefined;
  const masked = (bytes[1]! & 0x80) !== 0;
  const length7 = bytes[1]! & 0x7f;
  // 0-125: that is the length. 126: a 16-bit length follows. 127: a 64-bit length follows.
  const lengthBytes = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
  const size = 2 + lengthBytes + (masked ? 4 : 0);
  if (bytes.length < size) return undefined;
  const length = length7 === 126 ? BigInt(bytes.readUInt16BE(2)) : length7 === 127 ? bytes.readBigUInt64BE(2) : BigInt(length7);
  return {
    fin: (bytes[0]! & 0x80) !== 0,
    rsv: (bytes[0]! >> 4) & 0x7,
    opcode: bytes[0]! & 0x0f,
    mask: masked ? bytes.subarray(size - 4, size) : undefined,
    length,
    size,
  };
}

/** A frame from this server: FIN set, never masked, the payload's length in the shortest form. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0x80 | opcode, payload.length]);
  } else if (payload.length < 65_536) {
    header = Buffer.alloc(4);
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  header[0] = 0x80 | opcode;
  return Buffer.concat([header, payload]);
}

function unmask(payload: Buffer, mask: Buffer): Buffer {
  const bytes = Buffer.from(payload);
  for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ mask[i % 4]!;
  return bytes;
}

function closePayload(code: number): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return payload;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// ---- one connection ------------------------------------------------------------------------

/**
 * Reads the client's byte stream and echoes its messages. TCP delivers bytes, not frames: a
 * chunk may hold half a frame, or several; so bytes wait in `buffered` until a frame is whole.
 */
class Connection {
  private buffered = Buffer.alloc(0);
  /** The message being received in fragments: its opcode and the payloads so far. */
  private message: { opcode: number; parts: Buffer[]; size: number } | undefined;
  private closed = false;

  constructor(private readonly socket: Duplex) {}

  receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (!this.closed) {
      const header = readHeader(this.buffered);
      if (!header) return;
      const problem = this.checkHeader(header);
      if (problem) {
        this.fail(problem);
        return;
      }
      const end = header.size + Number(header.length);
      if (this.buffered.length < end) return;
      const payload = unmask(this.buffered.subarray(header.size, end), header.mask!);
      this.buffered = this.buffered.subarray(end);
      this.handle(header, payload);
    }
  }

  /** Rules a header breaks can be seen before its payload arrives: the connection fails at once. */
  private checkHeader(header: FrameHeader): number | undefined {
    const isControl = header.opcode >= 0x8;
    if (!header.mask || header.rsv !== 0) return CLOSE.protocolError;
    if (!KNOWN_OPCODES.has(header.opcode)) return CLOSE.protocolError;
    // Control frames are small and never fragmented.
    if (isControl && (!header.fin || header.length > 125n)) return CLOSE.protocolError;
    // A continuation with no message to continue, or a new message before the last one ended.
    if (header.opcode === OPCODE.continuation ? !this.message : !isControl && this.message) return CLOSE.protocolError;
    const sizeSoFar = header.opcode === OPCODE.continuation ? this.message!.size : 0;
    if (!isControl && BigInt(sizeSoFar) + header.length > BigInt(MAX_MESSAGE_BYTES)) return CLOSE.tooBig;
    return undefined;
  }

  private handle(header: FrameHeader, payload: Buffer): void {
    switch (header.opcode) {
      case OPCODE.ping:
        this.socket.write(encodeFrame(OPCODE.pong, payload));
        return;
      case OPCODE.pong:
        return; // An answer to a ping this server never sent: nothing to do.
      case OPCODE.close:
        // Echo the code (an empty close when the client gave none), then end the TCP connection.
        // A code takes two bytes: one byte alone is no close frame the protocol allows.
        if (payload.length === 1) this.fail(CLOSE.protocolError);
        else this.close(payload.subarray(0, 2));
        return;
    }
    // A data frame: the first (opcode 1 or 2) or a next fragment (opcode 0) of a message.
    this.message ??= { opcode: header.opcode, parts: [], size: 0 };
    this.message.parts.push(payload);
    this.message.size += payload.length;
    if (!header.fin) return;
    const { opcode, parts } = this.message;
    this.message = undefined;
    const whole = Buffer.concat(parts);
    // Only the whole message is checked: one character's bytes may be split between fragments.
    if (opcode === OPCODE.text && !isValidUtf8(whole)) this.fail(CLOSE.invalidData);
    else this.socket.write(encodeFrame(opcode, whole));
  }

  /** Fails the connection: a close frame with the reason's code. */
  private fail(code: number): void {
    this.close(closePayload(code));
  }

  /** Sends a close frame, then ends the TCP connection; nothing more is read. */
  private close(payload: Buffer): void {
    this.closed = true;
    this.socket.end(encodeFrame(OPCODE.close, payload));
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
