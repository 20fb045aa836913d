import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { CheckFailure } from '../checker/core/errors.ts';
import { closePayload, encodeFrame, frame, FrameDecoder, OPCODE, readClose, serverFrameProblems, type DecodedFrame } from '../checker/peers/frames.ts';
import { RawPeer } from '../checker/peers/raw-peer.ts';
import { acceptFor, RFC_EXAMPLE } from '../checker/peers/upgrade-request.ts';
import { Transcript } from '../checker/core/transcript.ts';

/**
 * The frame writer, the decoder and the raw TCP peer, tested against ws's own server: what ws
 * accepts and answers is the standard the lessons 15-16 checks hold a learner's server to.
 */
const MiB = 1024 * 1024;

describe('the frame writer and decoder', () => {
  const decodeAll = (bytes: Buffer): DecodedFrame[] => new FrameDecoder().push(bytes);

  it.each([0, 125, 126, 65_535, 65_536, MiB])('writes and reads back %i bytes with the shortest length field', (size) => {
    const payload = Buffer.alloc(size, 'x');
    const [decoded] = decodeAll(encodeFrame(frame.binary(payload, { mask: false })));
    expect(decoded!.payload.equals(payload)).toBe(true);
    expect(decoded!.lengthField).toBe(size < 126 ? 7 : size < 65_536 ? 16 : 64);
    expect(serverFrameProblems(decoded!)).toEqual([]);
  });

  it('masks with the key given, and unmasks', () => {
    const bytes = encodeFrame(frame.text('Hello', { mask: Buffer.from([0x37, 0xfa, 0x21, 0x3d]) }));
    // RFC 6455, section 5.7: a masked "Hello".
    expect(bytes.toString('hex')).toBe('818537fa213d7f9f4d5158');
    const [decoded] = decodeAll(bytes);
    expect(decoded!.payload.toString()).toBe('Hello');
    expect(serverFrameProblems(decoded!)).toEqual([expect.stringMatching(/masked/)]);
  });

  it('writes FIN, reserved bits, any opcode, and a length field longer than needed', () => {
    const bytes = encodeFrame({ opcode: 0x3, payload: 'a', fin: false, rsv: 4, mask: false, lengthField: 16 });
    expect(bytes.toString('hex')).toBe('43' + '7e' + '0001' + '61');
    const [decoded] = decodeAll(bytes);
    expect(decoded).toMatchObject({ fin: false, rsv: 4, opcode: 3, lengthField: 16 });
    expect(serverFrameProblems(decoded!).join(' | ')).toMatch(/RSV1 set.*opcode 0x3.*16-bit field/);
  });

  it('reads a stream cut at every byte, and several frames in one chunk', () => {
    const stream = Buffer.concat([
      encodeFrame(frame.text('one', { mask: false })),
      encodeFrame(frame.binary(Buffer.alloc(300, 7), { mask: false })),
      encodeFrame(frame.close(1000, 'bye', { mask: false })),
    ]);
    const decoder = new FrameDecoder();
    const frames = [...stream].flatMap((byte) => decoder.push(Buffer.from([byte])));
    expect(frames.map((f) => f.opcode)).toEqual([OPCODE.text, OPCODE.binary, OPCODE.close]);
    expect(readClose(frames[2]!.payload)).toEqual({ code: 1000, reason: 'bye' });
    expect(decodeAll(stream)).toHaveLength(3);
    expect(decoder.pending).toBe(0);
  });

  it('reports what cannot be a frame, and keeps the rest of a frame that has not ended', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(Buffer.from('827f8000000000000000', 'hex'))).toEqual([]);
    expect(decoder.malformed?.reason).toMatch(/most significant bit/);

    const partial = new FrameDecoder();
    partial.push(encodeFrame(frame.text('hello', { mask: false })).subarray(0, 4));
    expect(partial.pending).toBe(4);
    expect(closePayload()).toHaveLength(0);
  });
});

describe('the raw peer against ws', () => {
  let server: WebSocketServer;
  let port: number;
  const serverSockets: WebSocket[] = [];

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: MiB });
    await new Promise<void>((resolve) => server.on('listening', resolve));
    port = (server.address() as net.AddressInfo).port;
    server.on('connection', (socket, request) => {
      serverSockets.push(socket);
      socket.on('error', () => {});
      if (request.url === '/flood') {
        for (let i = 0; i < 200; i++) socket.send(Buffer.alloc(64 * 1024, i));
        return;
      }
      socket.on('message', (data, isBinary) => socket.send(data as Buffer, { binary: isBinary }));
    });
  });
  afterAll(async () => {
    for (const socket of serverSockets) socket.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  const open = async (name = 'alice') => {
    const transcript = new Transcript();
    const peer = await RawPeer.connect({ name, host: '127.0.0.1', port, transcript });
    return { peer, transcript };
  };

  it("performs the handshake with RFC 6455's example key", async () => {
    const { peer, transcript } = await open();
    const response = await peer.openWebSocket({ headers: { 'Sec-WebSocket-Key': RFC_EXAMPLE.key } });
    expect(response.status).toBe(101);
    expect(response.headers['sec-websocket-accept']).toBe(RFC_EXAMPLE.accept);
    expect(acceptFor(RFC_EXAMPLE.key)).toBe(RFC_EXAMPLE.accept);
    expect(transcript.lines().join('\n')).toMatch(/alice → server\s+GET \/ HTTP\/1\.1[\s\S]*server → alice\s+HTTP\/1\.1 101 Switching Protocols/);
    peer.destroy();
  });

  it('sends a request with chosen headers and reports the status line and headers of a refusal', async () => {
    const { peer } = await open();
    const { response } = await peer.upgrade({ headers: { 'Sec-WebSocket-Key': undefined } });
    expect(response.status).toBe(400);
    expect(response.statusLine).toMatch(/^HTTP\/1\.1 400/);
    expect(response.headers.connection).toBe('close');
    await expect(peer.openWebSocket()).rejects.toThrow(CheckFailure);
    peer.destroy();
  });

  it.each([0, 125, 126, 65_535, 65_536, MiB])('gets %i bytes back from ws, whole or byte by byte', async (size) => {
    const { peer } = await open();
    await peer.openWebSocket();
    const text = 'é'.repeat(Math.floor(size / 2)) + (size % 2 ? 'x' : '');
    await peer.send(frame.text(text), size <= 126 ? 'byte-by-byte' : 'whole');
    const echo = await peer.nextFrame('the echo');
    expect(echo.payload.toString()).toBe(text);
    expect(serverFrameProblems(echo)).toEqual([]);
    peer.destroy();
  });

  it('sends several frames in one write, fragments, and pings between them', async () => {
    const { peer, transcript } = await open();
    await peer.openWebSocket();
    await peer.send([frame.text('Hel', { fin: false }), frame.ping('are you there?'), frame.continuation('lo'), frame.binary(Buffer.from([1, 2]))]);
    const pong = await peer.nextFrame('a pong');
    expect(pong.opcode).toBe(OPCODE.pong);
    expect(pong.payload.toString()).toBe('are you there?');
    expect((await peer.nextFrame('the text')).payload.toString()).toBe('Hello');
    expect([...(await peer.nextFrame('the bytes')).payload]).toEqual([1, 2]);
    expect(transcript.lines().join('\n')).toMatch(/the 4 frames above sent in one write/);
    peer.destroy();
  });

  it.each([
    ['an unmasked frame', frame.text('hi', { mask: false })],
    ['a reserved bit', frame.text('hi', { rsv: 2 })],
    ['an unknown opcode', { opcode: 0xb, payload: '' }],
  ])('is closed with 1002 for %s', async (_, bad) => {
    const { peer } = await open();
    await peer.openWebSocket();
    await peer.send(bad);
    const close = await peer.nextFrame('a close frame');
    expect(close.opcode).toBe(OPCODE.close);
    expect(readClose(close.payload).code).toBe(1002);
    peer.destroy();
  });

  it('gets its close code echoed, then the end of the TCP connection', async () => {
    const { peer, transcript } = await open();
    await peer.openWebSocket();
    await peer.send(frame.close(4000, 'done'));
    expect(readClose((await peer.nextFrame('the close frame')).payload).code).toBe(4000);
    await peer.expectEnd();
    expect(peer.isEnded).toBe(true);
    expect(transcript.lines().join('\n')).toMatch(/close code 4000[\s\S]*the server ended the TCP connection/);
  });

  it('stops reading when paused, and reads everything once resumed', async () => {
    const { peer } = await open();
    peer.pauseReading();
    let answered = false;
    const response = peer.openWebSocket({ path: '/flood' }).then(() => (answered = true));
    const flooding = await vi.waitFor(() => {
      const socket = serverSockets.find((candidate) => candidate.bufferedAmount > 0 && candidate.bufferedAmount < 200 * 64 * 1024);
      if (!socket) throw new Error('the server has not begun to send yet');
      return socket;
    });
    // The system has taken bytes for the peer; had it been reading, a turn of its loop would see them.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    expect(flooding.bufferedAmount).toBeGreaterThan(0);
    peer.resumeReading();
    await response;
    for (let i = 0; i < 200; i++) expect((await peer.nextFrame(`frame ${i}`)).payload[0]).toBe(i);
    peer.destroy();
  });

  it('gives up on a read after its deadline, saying nothing came', async () => {
    const { peer } = await open();
    await peer.openWebSocket();
    const started = performance.now();
    await expect(peer.nextFrame('an echo', 100)).rejects.toThrow(/expected an echo, but nothing arrived within 0\.1 s/);
    expect(performance.now() - started).toBeLessThan(1000);
    peer.destroy();
  });
});

describe('the raw peer against a server that breaks HTTP', () => {
  it('says when the head of a response never ends', async () => {
    const server = net.createServer((socket) => socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const peer = await RawPeer.connect({ name: 'alice', host: '127.0.0.1', port, transcript: new Transcript() });
    try {
      const failure = await peer.openWebSocket().catch((error: CheckFailure) => error);
      expect(failure).toBeInstanceOf(CheckFailure);
      expect((failure as CheckFailure).details.explanation).toMatch(/empty line/);
    } finally {
      peer.destroy();
      server.close();
    }
  });
});
