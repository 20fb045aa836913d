// mutant: the hello frame's first byte is 0x01 (opcode only), so FIN is clear and the message never completes
// breaks: "After the handshake the server sends one unmasked text frame holding `Hello from a hand-made handshake!`; a real `ws` client and a real browser receive it."
// fails: hello
// message: /FIN=0.*Set FIN \(0x80/s
import { createServer, type IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';

const PORT = Number(process.env.PORT ?? 8080);
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const HELLO = 'Hello from a hand-made handshake!';

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

function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8'); // shorter than 126 bytes here
  return Buffer.concat([Buffer.from([0x01, payload.length]), payload]);
}

// After the handshake: wait for the client's close frame and answer it.
function awaitClose(socket: Duplex, head: Buffer): void {
  let buffered = head;
  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const opcode = buffered[0] & 0x0f;
      const masked = (buffered[1] & 0x80) !== 0;
      let length = buffered[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (buffered.length < offset + length) return;
      const payload = Buffer.from(buffered.subarray(offset, offset + length));
      if (masked) {
        for (let i = 0; i < payload.length; i++) payload[i] ^= buffered[maskOffset + (i % 4)];
      }
      buffered = buffered.subarray(offset + length);
      if (opcode === 0x8) {
        // Echo the close code (if any), then end the TCP connection.
        const reply = payload.length >= 2 ? Buffer.from([0x88, 2, payload[0], payload[1]]) : Buffer.from([0x88, 0]);
        socket.off('data', onData);
        socket.end(reply);
        return;
      }
      // Anything else is not this lesson's business.
    }
  };
  socket.on('data', onData);
  if (head.length > 0) onData(Buffer.alloc(0));
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
  socket.write(textFrame(HELLO));
  awaitClose(socket, head);
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`handshake server listening on http://127.0.0.1:${PORT}`);
});
