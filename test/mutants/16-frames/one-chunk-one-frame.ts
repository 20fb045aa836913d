// mutant: each 'data' chunk is parsed as exactly one whole frame: no buffering across chunks, extra frames in a chunk dropped
// breaks: "Reads a byte stream, not packets: frames split across TCP chunks at any byte, and several frames in one chunk, both work."
// fails: byte-stream
// message: /several-in-one-write.*stream of bytes/s
import { createServer, type IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';

const PORT = Number(process.env.PORT ?? 8080);
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE = 1024 * 1024; // bytes

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  426: 'Upgrade Required',
};

type Verdict =
  | { ok: true; accept: string; protocol: string | null }
  | { ok: false; status: number; headers: Record<string, string> };

function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

function headerTokens(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '');
}

function isValidKey(key: string | undefined): key is string {
  return (
    key !== undefined &&
    /^[A-Za-z0-9+/]{22}==$/.test(key) &&
    Buffer.from(key, 'base64').length === 16
  );
}

function check(req: IncomingMessage): Verdict {
  const hasUpgrade = req.headers.upgrade !== undefined;
  const hasConnectionUpgrade = headerTokens(req.headers.connection).includes('upgrade');

  if (!hasUpgrade && !hasConnectionUpgrade) {
    // A plain HTTP request: tell it what this endpoint speaks.
    return { ok: false, status: 426, headers: { Upgrade: 'websocket' } };
  }
  if (req.method !== 'GET') return { ok: false, status: 400, headers: {} };
  if (!headerTokens(req.headers.upgrade).includes('websocket') || !hasConnectionUpgrade) {
    return { ok: false, status: 400, headers: {} };
  }
  if (req.headers['sec-websocket-version'] !== '13') {
    return { ok: false, status: 426, headers: { 'Sec-WebSocket-Version': '13' } };
  }
  const key = req.headers['sec-websocket-key'];
  if (!isValidKey(key)) return { ok: false, status: 400, headers: {} };

  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const protocol = offered.includes('chat') ? 'chat' : null;
  return { ok: true, accept: acceptKey(key), protocol };
}

function refusal(status: number, headers: Record<string, string>): string {
  const lines = [`HTTP/1.1 ${status} ${STATUS_TEXT[status]}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push('Connection: close', 'Content-Length: 0');
  return lines.join('\r\n') + '\r\n\r\n';
}

const OP = {
  CONTINUATION: 0x0,
  TEXT: 0x1,
  BINARY: 0x2,
  CLOSE: 0x8,
  PING: 0x9,
  PONG: 0xa,
} as const;
const KNOWN_OPCODES = new Set<number>(Object.values(OP));

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// One unmasked, final frame, with the shortest length encoding.
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x80 | opcode, length]);
  } else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

class Connection {
  // The message being reassembled from fragments.
  private fragments: Buffer[] = [];
  private fragmentOpcode: number | null = null;
  private fragmentBytes = 0;
  private closed = false;

  constructor(private readonly socket: Duplex) {}

  // Every chunk from the socket is one frame.
  receive(chunk: Buffer): void {
    if (this.closed) return;
    this.parseFrame(chunk, 0);
  }

  // Parses one frame starting at `start`; returns the bytes it used, or 0 when
  // the frame is not complete yet (or the connection was failed).
  private parseFrame(data: Buffer, start: number): number {
    const available = data.length - start;
    if (available < 2) return 0;
    const fin = (data[start] & 0x80) !== 0;
    const reserved = data[start] & 0x70;
    const opcode = data[start] & 0x0f;
    const masked = (data[start + 1] & 0x80) !== 0;
    let length = data[start + 1] & 0x7f;

    if (reserved !== 0) return this.fail(1002, 'Reserved bits must be 0');
    if (!KNOWN_OPCODES.has(opcode)) return this.fail(1002, 'Unknown opcode');
    if (!masked) return this.fail(1002, 'Client frames must be masked');
    const control = opcode >= 0x8;
    if (control && (!fin || length > 125)) return this.fail(1002, 'Bad control frame');
    if (opcode === OP.CONTINUATION && this.fragmentOpcode === null) {
      return this.fail(1002, 'Continuation frame without a message to continue');
    }
    if ((opcode === OP.TEXT || opcode === OP.BINARY) && this.fragmentOpcode !== null) {
      return this.fail(1002, 'New message before the previous one ended');
    }

    let headerSize = 2;
    if (length === 126) {
      headerSize = 4;
      if (available < headerSize) return 0;
      length = data.readUInt16BE(start + 2);
    } else if (length === 127) {
      headerSize = 10;
      if (available < headerSize) return 0;
      const length64 = data.readBigUInt64BE(start + 2);
      if (length64 > BigInt(MAX_MESSAGE)) return this.fail(1009, 'Message too big');
      length = Number(length64);
    }
    if (!control && this.fragmentBytes + length > MAX_MESSAGE) return this.fail(1009, 'Message too big');

    const frameSize = headerSize + 4 + length;
    if (available < frameSize) return 0;
    const maskStart = start + headerSize;
    const payload = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) {
      payload[i] = data[maskStart + 4 + i] ^ data[maskStart + (i & 3)];
    }
    this.handleFrame(fin, opcode, payload);
    return frameSize;
  }

  private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OP.PING:
        this.send(OP.PONG, payload);
        return;
      case OP.PONG:
        return;
      case OP.CLOSE: {
        if (payload.length === 1) {
          this.fail(1002, 'A close payload cannot be 1 byte');
          return;
        }
        // Echo the code (none when it had none), then end the TCP connection.
        const code = payload.subarray(0, Math.min(payload.length, 2));
        this.send(OP.CLOSE, code);
        this.closed = true;
        this.socket.end();
        return;
      }
      case OP.CONTINUATION:
      case OP.TEXT:
      case OP.BINARY: {
        if (opcode !== OP.CONTINUATION) this.fragmentOpcode = opcode;
        this.fragments.push(payload);
        this.fragmentBytes += payload.length;
        if (!fin) return;
        const message = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments);
        const messageOpcode = this.fragmentOpcode ?? OP.BINARY;
        this.fragments = [];
        this.fragmentOpcode = null;
        this.fragmentBytes = 0;
        if (messageOpcode === OP.TEXT && !isValidUtf8(message)) {
          this.fail(1007, 'Text message is not valid UTF-8');
          return;
        }
        this.send(messageOpcode, message);
        return;
      }
    }
  }

  private send(opcode: number, payload: Buffer): void {
    if (!this.closed) this.socket.write(encodeFrame(opcode, payload));
  }

  // Closes the connection with a close frame carrying `code`; returns 0 for parseFrame.
  private fail(code: number, reason: string): 0 {
    if (this.closed) return 0;
    console.error(`closing connection with ${code}: ${reason}`);
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    this.send(OP.CLOSE, payload);
    this.closed = true;
    this.socket.end();
    return 0;
  }
}

const server = createServer((req, res) => {
  // Requests that are not a full upgrade (no upgrade headers, or only one of them).
  const verdict = check(req);
  if (verdict.ok) {
    // Cannot happen: a request with both upgrade headers goes to 'upgrade'.
    res.writeHead(400, { Connection: 'close' }).end();
    return;
  }
  res.writeHead(verdict.status, { ...verdict.headers, Connection: 'close', 'Content-Length': '0' });
  res.end();
});

server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
  socket.on('error', (err) => console.error('socket error:', err.message));
  const verdict = check(req);
  if (!verdict.ok) {
    socket.end(refusal(verdict.status, verdict.headers));
    return;
  }
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${verdict.accept}`,
  ];
  if (verdict.protocol !== null) lines.push(`Sec-WebSocket-Protocol: ${verdict.protocol}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  const connection = new Connection(socket);
  socket.on('data', (chunk: Buffer) => connection.receive(chunk));
  socket.on('end', () => socket.end());
  if (head.length > 0) connection.receive(head);
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`echo server listening on http://127.0.0.1:${PORT}`);
});
