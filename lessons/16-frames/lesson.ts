import {
  connectionResetCheck,
  defineLesson,
  frame,
  frameCaseCheck,
  type FrameCase,
  handshakeCaseCheck,
  header,
  noLibraryCheck,
  reply,
  RFC_EXAMPLE,
  robustnessChecks,
  runWireDemo,
  type Served,
  wsClientEchoCheck,
} from '../../checker/lesson-api.ts';

/**
 * The cases, in the style of the Autobahn TestSuite: each one thing the contract asks, tried on a
 * connection of its own, named after what it proves. A check runs its cases all at once.
 */
const MiB = 1024 * 1024;

/** The 26 letters in a varied order (every 7th), so that a shifted or cut payload shows. */
const LETTERS = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
/** Every byte value once, 0x00 to 0xff in a varied order. */
const BYTE_VALUES = Uint8Array.from({ length: 256 }, (_, i) => (i * 31 + 7) % 256);
/** Text of exactly `size` bytes (ASCII), the letters over and over. */
const textOf = (size: number) => LETTERS.repeat(Math.ceil(size / LETTERS.length)).slice(0, size);
/** `size` bytes running through every value, over and over: not UTF-8, so only binary carries them. */
const bytesOf = (size: number) => new Uint8Array(Buffer.alloc(size, BYTE_VALUES));

const LENGTHS =
  'The second byte holds the length when it is 125 or less; 126 means the length follows in 2 bytes, 127 that it follows in 8 ' +
  '(readBigUInt64BE). The masking key comes after the length, and the payload after the key.';

/** The sizes, each with why it is worth trying, and the mistake that most likely fails it. */
const SIZES: [size: number, why: string, mistake: string][] = [
  [0, 'nothing at all', LENGTHS],
  [125, 'the longest length the 7 bits hold', LENGTHS],
  [126, 'the first length written as 126 and a 16-bit length', LENGTHS],
  [65_535, 'the longest 16-bit length', LENGTHS],
  [65_536, 'the first length written as 127 and a 64-bit length', LENGTHS],
  [MiB, 'the largest message the server takes, 1 MiB', `1 MiB itself is allowed: close with 1009 only over 1,048,576 bytes (>, not >=). ${LENGTHS}`],
];

const textSizes: FrameCase[] = SIZES.map(([size, why, mistake]) => ({
  id: `text-${size}`,
  proves: `${size} bytes of text come back as they were: ${why}`,
  send: [frame.text(textOf(size))],
  expect: [reply.text(textOf(size))],
  mistake,
}));

const binarySizes: FrameCase[] = SIZES.map(([size, why, mistake]) => ({
  id: `binary-${size}`,
  proves: `${size} bytes of binary come back as they were: ${why}`,
  send: [frame.binary(bytesOf(size))],
  expect: [reply.binary(bytesOf(size))],
  mistake,
}));

const ONE_CHUNK =
  'TCP delivers a stream of bytes, not your frames: one "data" chunk may hold part of a frame, or several frames. Keep the bytes ' +
  'that have arrived in a buffer, take a frame off its front only once all of it is there, and loop while another whole one is.';

const byteStream: FrameCase[] = [
  {
    id: 'byte-by-byte',
    proves: 'a frame that arrives one byte at a time is read whole',
    send: [frame.text(textOf(125))],
    delivery: 'byte-by-byte',
    expect: [reply.text(textOf(125))],
    mistake: ONE_CHUNK,
  },
  {
    id: 'several-in-one-write',
    proves: 'three messages arriving in one chunk are all answered, in order',
    send: [frame.text('one'), frame.text('two'), frame.text('three')],
    delivery: 'whole',
    expect: [reply.text('one'), reply.text('two'), reply.text('three')],
    mistake: ONE_CHUNK,
  },
  {
    id: 'one-and-a-half',
    // 'first' takes 2 + 4 + 5 = 11 bytes, the next frame 2 + 4 + 100: the cut is in its middle.
    proves: 'a chunk holding one frame and half of the next is read, and the rest joins the half',
    send: [frame.text('first'), frame.text(textOf(100))],
    delivery: { splitAt: [11 + 53], confirmed: true },
    expect: [reply.text('first'), reply.text(textOf(100))],
    mistake: ONE_CHUNK,
  },
  {
    id: 'header-in-pieces',
    proves: 'a header cut after its first byte, after its length and inside its masking key is read whole',
    send: [frame.text(textOf(100))],
    delivery: { splitAt: [1, 2, 4, 8] },
    expect: [reply.text(textOf(100))],
    mistake: ONE_CHUNK,
  },
  {
    id: 'first-byte-alone',
    proves: 'a frame whose first byte arrives alone, after a whole frame, is read once the rest comes',
    send: [frame.text(textOf(100))],
    delivery: { splitAt: [1], confirmed: true },
    expect: [reply.text(textOf(100))],
    mistake: ONE_CHUNK,
  },
];

const HEADER_SIZE =
  'A header is 2 bytes, plus 2 or 8 for a longer length, plus 4 for the mask: check that all of it has arrived before reading ' +
  'any of it (readUInt16BE(2) on 3 bytes throws), and wait for more bytes when it has not.';

const lengthsInPieces: FrameCase[] = [
  {
    id: 'cut-in-16-bit-length',
    proves: 'a 16-bit length cut between two chunks is read whole',
    send: [frame.binary(bytesOf(300))],
    delivery: { splitAt: [3], confirmed: true },
    expect: [reply.binary(bytesOf(300))],
    mistake: HEADER_SIZE,
  },
  {
    id: 'cut-in-64-bit-length',
    proves: 'a 64-bit length cut between two chunks is read whole',
    send: [frame.binary(bytesOf(65_536))],
    delivery: { splitAt: [5], confirmed: true },
    expect: [reply.binary(bytesOf(65_536))],
    mistake: HEADER_SIZE,
  },
];

const REASSEMBLE =
  'A message may come in fragments: a first frame (opcode 1 or 2) with FIN=0, continuation frames (opcode 0), the last with FIN=1. ' +
  'Collect the payloads until FIN=1, then answer the whole message once, with the opcode of the first frame.';

const fragments: FrameCase[] = [
  {
    id: 'text-in-three',
    proves: 'a text message in three fragments comes back as one text frame',
    send: [frame.text('Hel', { fin: false }), frame.continuation('lo, ', { fin: false }), frame.continuation('world')],
    expect: [reply.text('Hello, world')],
    mistake: REASSEMBLE,
  },
  {
    id: 'binary-in-two',
    proves: 'a binary message in two fragments comes back as one binary frame',
    send: [frame.binary(Uint8Array.of(1, 2), { fin: false }), frame.continuation(Uint8Array.of(3))],
    expect: [reply.binary(Uint8Array.of(1, 2, 3))],
    mistake: REASSEMBLE,
  },
  {
    id: 'empty-fragments',
    proves: 'empty fragments take nothing away and add nothing',
    send: [frame.text('', { fin: false }), frame.continuation('x', { fin: false }), frame.continuation('')],
    expect: [reply.text('x')],
    mistake: REASSEMBLE,
  },
  {
    id: 'fragments-in-one-write',
    proves: 'all the fragments of a message arriving in one chunk make one message',
    send: [frame.text('a', { fin: false }), frame.continuation('b', { fin: false }), frame.continuation('c')],
    delivery: 'whole',
    expect: [reply.text('abc')],
    mistake: REASSEMBLE,
  },
  {
    id: 'large-in-fragments',
    proves: 'three fragments of 30000 bytes come back as one frame with a 64-bit length',
    send: [frame.binary(bytesOf(30_000), { fin: false }), frame.continuation(bytesOf(30_000), { fin: false }), frame.continuation(bytesOf(30_000))],
    expect: [reply.binary(Uint8Array.from([...bytesOf(30_000), ...bytesOf(30_000), ...bytesOf(30_000)]))],
    mistake: REASSEMBLE,
  },
];

const PONG = 'Answer every ping at once with a pong (opcode 0xA) carrying the same payload; a pong that arrives needs no answer at all.';

const controlFrames: FrameCase[] = [
  {
    id: 'ping-empty',
    proves: 'a ping with no payload gets a pong with none',
    send: [frame.ping()],
    expect: [reply.pong()],
    mistake: PONG,
  },
  {
    id: 'ping-text',
    proves: "a ping's payload comes back in the pong",
    send: [frame.ping('Are you there?')],
    expect: [reply.pong('Are you there?')],
    mistake: PONG,
  },
  {
    id: 'ping-125',
    proves: 'the largest ping, 125 bytes of binary, comes back whole in the pong',
    send: [frame.ping(bytesOf(125))],
    expect: [reply.pong(bytesOf(125))],
    mistake: PONG,
  },
  {
    id: 'ping-between-fragments',
    proves: 'a ping between two fragments is answered at once, and the message still comes back whole',
    send: [frame.text('one ', { fin: false }), frame.ping('in between'), frame.continuation('two')],
    expect: [reply.pong('in between'), reply.text('one two')],
    mistake:
      'Control frames (ping, pong, close) may come between the fragments of a message. Handle them at once, without ending the ' +
      'message: only continuation frames add to it.',
  },
  {
    id: 'pings-in-one-write',
    proves: 'two pings and a message in one chunk get two pongs and the echo, in order',
    send: [frame.ping('first'), frame.ping('second'), frame.text('and a message')],
    delivery: 'whole',
    expect: [reply.pong('first'), reply.pong('second'), reply.text('and a message')],
    mistake: PONG,
  },
  {
    id: 'pong-ignored',
    proves: 'an unasked-for pong gets no answer: the next frame is the echo of the message after it',
    send: [frame.pong('unasked'), frame.text('after the pong')],
    expect: [reply.text('after the pong')],
    mistake: PONG,
  },
];

const MUST_FAIL = 'The connection must fail at once, with a close frame whose code says why, before anything else is sent.';

const protocolErrors: FrameCase[] = [
  {
    id: 'unmasked',
    proves: 'a client frame without a mask fails the connection with 1002',
    send: [frame.text('not masked', { mask: false })],
    expect: [reply.close(1002)],
    mistake: `Every frame from a client is masked: the high bit of the second byte is 1. When it is 0, close with 1002 (protocol error). ${MUST_FAIL}`,
  },
  ...[4, 2, 1].map(
    (bit, i): FrameCase => ({
      id: `rsv${i + 1}`,
      proves: `a frame with RSV${i + 1} set fails the connection with 1002`,
      send: [frame.text('reserved', { rsv: bit })],
      expect: [reply.close(1002)],
      mistake: `The bits 0x40, 0x20 and 0x10 of the first byte are reserved for extensions, and none was agreed: any of them set is a protocol error (1002). ${MUST_FAIL}`,
    }),
  ),
  ...[0x3, 0x7, 0xb, 0xf].map(
    (opcode): FrameCase => ({
      id: `opcode-${opcode.toString(16)}`,
      proves: `the unknown ${opcode < 8 ? 'data' : 'control'} opcode 0x${opcode.toString(16)} fails the connection with 1002`,
      send: [{ opcode, payload: 'what is this?' }],
      expect: [reply.close(1002)],
      mistake: `Opcodes other than 0, 1, 2, 8, 9 and 0xA mean nothing yet: close with 1002 (protocol error). ${MUST_FAIL}`,
    }),
  ),
];

const UTF8_WHOLE =
  'Decode the whole message once it is complete, never fragment by fragment: a character of 2 to 4 bytes may be split between ' +
  "two fragments. new TextDecoder('utf-8', { fatal: true }).decode(bytes) throws on invalid UTF-8.";
const UTF8_INVALID = `A text message must be valid UTF-8; when it is not, close with 1007. Buffer's toString() never fails (it puts U+FFFD in place of bad bytes): use new TextDecoder('utf-8', { fatal: true }), which throws.`;

/** Invalid UTF-8: a text message holding `bytes` (between two valid parts) fails with 1007. */
const invalidUtf8 = (id: string, proves: string, bytes: number[]): FrameCase => ({
  id,
  proves: `${proves}: close 1007`,
  send: [frame.text(Buffer.from([...Buffer.from('ok '), ...bytes, ...Buffer.from(' ok')]))],
  expect: [reply.close(1007)],
  mistake: UTF8_INVALID,
});

const utf8: FrameCase[] = [
  {
    id: 'utf8-valid',
    proves: 'letters of 2, 3 and 4 bytes come back intact',
    send: [frame.text('Grüße, 日本語, 👋🏽')],
    expect: [reply.text('Grüße, 日本語, 👋🏽')],
  },
  {
    id: 'utf8-replacement-character',
    proves: 'U+FFFD, sent as a character, is valid text',
    send: [frame.text('a \uFFFD is a character too')],
    expect: [reply.text('a \uFFFD is a character too')],
    mistake:
      "U+FFFD (the bytes EF BF BD) is a valid character: looking for it in toString()'s output mistakes it for an error. Use new TextDecoder('utf-8', { fatal: true }).",
  },
  {
    id: 'utf8-split-across-fragments',
    proves: 'a character split between two fragments is valid once the message is whole',
    send: [frame.text(Buffer.from([...Buffer.from('price: '), 0xe2, 0x82]), { fin: false }), frame.continuation(Buffer.from([0xac, ...Buffer.from(' 5')]))],
    expect: [reply.text('price: € 5')],
    mistake: UTF8_WHOLE,
  },
  {
    id: 'utf8-emoji-split-three-ways',
    proves: 'a 4-byte character split over three fragments is valid once the message is whole',
    send: [
      frame.text(Buffer.from([0xf0]), { fin: false }),
      frame.continuation(Buffer.from([0x9f, 0x91]), { fin: false }),
      frame.continuation(Buffer.from([0x8b])),
    ],
    expect: [reply.text('👋')],
    mistake: UTF8_WHOLE,
  },
  invalidUtf8('utf8-lone-continuation', 'a continuation byte with no start (0x80)', [0x80]),
  invalidUtf8('utf8-overlong', 'an overlong encoding of "/" (C0 AF)', [0xc0, 0xaf]),
  invalidUtf8('utf8-surrogate', 'an encoded UTF-16 surrogate (ED A0 80)', [0xed, 0xa0, 0x80]),
  invalidUtf8('utf8-beyond-unicode', 'a code point above U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]),
  {
    id: 'utf8-invalid-in-last-fragment',
    proves: 'a message whose first fragment is valid and last is not fails with 1007',
    send: [frame.text('all fine so far, ', { fin: false }), frame.continuation(Buffer.from([...Buffer.from('until '), 0xff]))],
    expect: [reply.close(1007)],
    mistake: UTF8_WHOLE,
  },
  {
    id: 'utf8-cut-at-the-end',
    proves: 'a message that ends in the middle of a character fails with 1007',
    send: [frame.text('cut short: ', { fin: false }), frame.continuation(Buffer.from([0xe2, 0x82]))],
    expect: [reply.close(1007)],
    mistake: UTF8_WHOLE,
  },
  {
    id: 'binary-is-not-text',
    proves: 'a binary message is bytes, never checked as UTF-8',
    send: [frame.binary(Uint8Array.of(0xff, 0xfe, 0x80, 0xc0))],
    expect: [reply.binary(Uint8Array.of(0xff, 0xfe, 0x80, 0xc0))],
    mistake: 'Only text messages must be UTF-8; a binary message may hold any bytes, and comes back as it was.',
  },
];

const TOO_BIG =
  'Count the bytes of a message as its frames arrive (the fragments together) and close with 1009 as soon as a header says the ' +
  'message will be over 1 MiB: never wait for, or keep, that much. A 64-bit length can be far more than a 32-bit number holds.';

const tooBig: FrameCase[] = [
  {
    id: 'text-over-1mib',
    proves: 'a text frame of 1 MiB and one byte fails with 1009',
    send: [frame.text(textOf(MiB + 1))],
    expect: [reply.close(1009)],
    mistake: TOO_BIG,
  },
  {
    id: 'fragments-over-1mib',
    proves: 'two fragments of 600 KiB, each small enough, fail with 1009 together',
    send: [frame.binary(bytesOf(600 * 1024), { fin: false }), frame.continuation(bytesOf(600 * 1024))],
    expect: [reply.close(1009)],
    mistake: TOO_BIG,
  },
  {
    id: 'length-beyond-4gib',
    proves: 'a header announcing 4 GiB and 5 bytes fails with 1009 at once (its low 32 bits alone say 5)',
    send: [frame.binary(Uint8Array.of(1, 2, 3, 4, 5), { announcedLength: 2n ** 32n + 5n })],
    expect: [reply.close(1009)],
    mistake: TOO_BIG,
  },
];

const ECHO_CLOSE =
  'Answer a close frame with a close frame carrying the same code (the first 2 bytes of its payload; none when the payload is ' +
  'empty), then end the TCP connection: socket.end(frame) sends the frame and then ends.';

const closes: FrameCase[] = [
  {
    id: 'close-1000',
    proves: 'a normal close is answered with 1000, then the end of the connection',
    send: [frame.close(1000)],
    expect: [reply.close(1000), reply.end],
    mistake: ECHO_CLOSE,
  },
  {
    id: 'close-4000-reason',
    proves: 'the code is echoed, whatever it is (4000, with a reason)',
    send: [frame.close(4000, 'done here')],
    expect: [reply.close(4000), reply.end],
    mistake: ECHO_CLOSE,
  },
  {
    id: 'close-no-code',
    proves: 'a close frame with no code is answered with a close frame with no code',
    send: [frame.close()],
    expect: [reply.close(), reply.end],
    mistake: ECHO_CLOSE,
  },
  {
    id: 'close-after-a-message',
    proves: 'a message and a close in one chunk: the echo, then the close',
    send: [frame.text('last words'), frame.close(1001)],
    delivery: 'whole',
    expect: [reply.text('last words'), reply.close(1001), reply.end],
    mistake: ECHO_CLOSE,
  },
];

/** A client served by this lesson's server gets its message back. */
const served: Served = {
  open: (ctx, name) => ctx.connect(name).send(`ping from ${name}`).expectText(`ping from ${name}`),
  again: (_ctx, client, round) => client.send(`ping ${round} from ${client.name}`).expectText(`ping ${round} from ${client.name}`),
};

/** Every frame case is worth running once the handshake and a first echo work, and frames are read as a stream. */
const ECHOES = ['handshake', 'echo'];
const FRAMES = [...ECHOES, 'byte-stream'];
const SIZED = [...FRAMES, 'text-sizes', 'binary-sizes'];

export default defineLesson({
  kind: 'server',
  checks: [
    noLibraryCheck('ws'),
    handshakeCaseCheck({
      id: 'handshake',
      name: "keeps lesson 15's handshake: 101 with the right Sec-WebSocket-Accept",
      cases: [
        {
          id: 'rfc-example',
          proves: `the key ${RFC_EXAMPLE.key} gives ${RFC_EXAMPLE.accept}`,
          request: { headers: { 'Sec-WebSocket-Key': RFC_EXAMPLE.key } },
          status: 101,
          headers: { Upgrade: header.is('websocket'), Connection: header.hasToken('Upgrade') },
          accept: true,
        },
        { id: 'fresh-key', proves: 'the accept value is computed from each key', request: {}, status: 101, accept: true },
      ],
    }),
    frameCaseCheck({
      id: 'echo',
      name: 'echoes a text message as one unmasked text frame, and sends nothing first (no hello)',
      needs: ['handshake'],
      cases: [
        {
          id: 'echo',
          proves: 'the first frame the server sends is the echo',
          send: [frame.text('Hello, frames!')],
          expect: [reply.text('Hello, frames!')],
          mistake: 'This server only answers: the hello of lesson 15 is gone, and every message comes back unchanged, as one frame.',
        },
      ],
    }),
    frameCaseCheck({ id: 'byte-stream', name: 'reads a byte stream: frames cut at any byte, several frames in one chunk', needs: ECHOES, cases: byteStream }),
    frameCaseCheck({
      id: 'text-sizes',
      name: 'echoes text of 0, 125, 126, 65535, 65536 bytes and 1 MiB, each length in its shortest form',
      needs: FRAMES,
      cases: textSizes,
    }),
    frameCaseCheck({ id: 'binary-sizes', name: 'echoes binary of every one of those sizes, byte for byte', needs: FRAMES, cases: binarySizes }),
    frameCaseCheck({ id: 'lengths-in-pieces', name: 'reads 16-bit and 64-bit lengths cut between chunks', needs: SIZED, cases: lengthsInPieces }),
    frameCaseCheck({ id: 'fragments', name: 'reassembles fragmented messages and echoes each as one frame', needs: FRAMES, cases: fragments }),
    frameCaseCheck({ id: 'control-frames', name: 'answers pings with pongs, also between fragments, and ignores pongs', needs: FRAMES, cases: controlFrames }),
    frameCaseCheck({
      id: 'protocol-errors',
      name: 'fails with 1002 on an unmasked frame, reserved bits, or an unknown opcode',
      needs: FRAMES,
      cases: protocolErrors,
    }),
    frameCaseCheck({ id: 'utf8', name: 'checks that text is UTF-8, the whole message at once (1007 when it is not)', needs: FRAMES, cases: utf8 }),
    frameCaseCheck({ id: 'too-big', name: 'fails with 1009 on a message over 1 MiB', needs: FRAMES, cases: tooBig }),
    frameCaseCheck({ id: 'close', name: 'answers a close frame with the same code (none for none), then ends the connection', needs: FRAMES, cases: closes }),
    wsClientEchoCheck(
      SIZES.flatMap(([size]) => [textOf(size), bytesOf(size)]),
      SIZED,
    ),
    ...robustnessChecks(served, ECHOES),
    connectionResetCheck(served, ECHOES),
  ],
  hints: [
    "Keep a Buffer of the bytes received so far for each connection. On every 'data' chunk, append it (Buffer.concat), then take whole frames off the front in a loop, until what is left is not a whole frame yet.",
    'A header: byte 0 holds FIN (0x80), the reserved bits (0x70) and the opcode (0x0f); byte 1 the mask bit (0x80) and a 7-bit length. 126 means a 16-bit length follows (readUInt16BE(2)), 127 a 64-bit one (readBigUInt64BE(2)). Then 4 bytes of masking key, then the payload.',
    'Unmask each payload byte: payload[i] ^ mask[i % 4]. A frame without the mask bit, with a reserved bit set, or with an opcode other than 0, 1, 2, 8, 9, 10: answer a close frame with 1002 and end the connection.',
    "Fragments: the first frame has opcode 1 or 2 and FIN=0, the next ones opcode 0; collect their payloads until FIN=1, then echo the whole message once, with the first frame's opcode. A ping (9) between them gets its pong (10) at once; a pong is ignored.",
    "Write a frame back as 0x80 | opcode, then the length in its shortest form (< 126: one byte; < 65536: 126 and writeUInt16BE; else 127 and writeBigUInt64BE), no mask. Text: check new TextDecoder('utf-8', { fatal: true }).decode(whole) before echoing (1007 if it throws); over 1 MiB so far: 1009.",
    'A close frame (8): answer with a close frame holding the same first 2 payload bytes (none if it had none), and end the connection with socket.end(frame).',
  ],
  demo: (port) =>
    runWireDemo('16', port, {}, [
      { send: [frame.text('Hello, frames!')], answers: 1 },
      { send: [frame.text('Hel', { fin: false }), frame.ping('still there?'), frame.continuation('lo again')], answers: 2 },
      { send: [frame.binary(bytesOf(300))], answers: 1 },
      { send: [frame.text('no mask', { mask: false })], answers: 1 },
    ]),
});
