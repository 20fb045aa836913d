import {
  browserHelloCheck,
  connectionResetCheck,
  defineLesson,
  frame,
  frameCaseCheck,
  handshakeCaseCheck,
  header,
  noLibraryCheck,
  reply,
  RFC_EXAMPLE,
  robustnessChecks,
  runWireDemo,
  type Served,
  wsClientHelloCheck,
} from '../../checker/lesson-api.ts';

const HELLO = 'Hello from a hand-made handshake!';

/** The headers of every switch to WebSocket. */
const SWITCHED = { Upgrade: header.is('websocket'), Connection: header.hasToken('Upgrade') };

/** No WebSocket header at all: a request a browser makes for a page. */
const PLAIN_HTTP = { Upgrade: undefined, Connection: undefined, 'Sec-WebSocket-Key': undefined, 'Sec-WebSocket-Version': undefined };

/** A client served by this lesson's server receives the hello; still served, it can close. */
const served: Served = {
  open: (ctx, name) => ctx.connect(name).expectText(HELLO),
  again: (_ctx, client) => client.close(1000),
};

export default defineLesson({
  kind: 'server',
  checks: [
    noLibraryCheck('ws'),
    handshakeCaseCheck({
      id: 'accept',
      name: "answers an upgrade request with 101 and the Sec-WebSocket-Accept computed from its key (RFC 6455's example first)",
      cases: [
        {
          id: 'rfc-example',
          proves: `the key ${RFC_EXAMPLE.key} gives ${RFC_EXAMPLE.accept}, as in RFC 6455`,
          request: { headers: { 'Sec-WebSocket-Key': RFC_EXAMPLE.key } },
          status: 101,
          headers: SWITCHED,
          accept: true,
        },
        {
          id: 'fresh-key',
          proves: 'the accept value is computed from each request’s own key',
          request: {},
          status: 101,
          headers: SWITCHED,
          accept: true,
          mistake: 'A value that fits one key fits no other: compute Sec-WebSocket-Accept from request.headers["sec-websocket-key"] every time.',
        },
      ],
    }),
    handshakeCaseCheck({
      id: 'any-case',
      name: 'reads the upgrade headers in any case, and Connection as a list (keep-alive, Upgrade)',
      needs: ['accept'],
      cases: [
        {
          id: 'capitals',
          proves: 'Upgrade: WebSocket and Connection: upgrade are the same as websocket and Upgrade',
          request: { headers: { Upgrade: 'WebSocket', Connection: 'upgrade' } },
          status: 101,
          headers: SWITCHED,
          accept: true,
          mistake:
            'These header values are compared without regard to case: lower-case Upgrade, and each part of Connection, before ' +
            'comparing (request.headers.upgrade?.toLowerCase() === "websocket").',
        },
        {
          id: 'connection-list',
          proves: 'Connection: keep-alive, Upgrade holds the Upgrade token (Firefox sends it so)',
          request: { headers: { connection: 'keep-alive, Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13' } },
          status: 101,
          headers: SWITCHED,
          accept: true,
          mistake: 'Connection is a comma-separated list: split it on commas, trim each part, and look for "upgrade" in any case.',
        },
      ],
    }),
    handshakeCaseCheck({
      id: 'subprotocol',
      name: 'answers Sec-WebSocket-Protocol: chat when the client offers chat, and no subprotocol otherwise',
      needs: ['accept'],
      cases: [
        {
          id: 'chat-in-a-list',
          proves: 'chat is picked from a list of offers (superchat, chat)',
          request: { headers: { 'Sec-WebSocket-Protocol': 'superchat, chat' } },
          status: 101,
          headers: { 'Sec-WebSocket-Protocol': header.exactly('chat') },
          mistake: 'The client lists the subprotocols it speaks, separated by commas: split the header, trim each name, and answer chat if it is one of them.',
        },
        {
          id: 'chat-alone',
          proves: 'chat offered alone is chosen',
          request: { headers: { 'Sec-WebSocket-Protocol': 'chat' } },
          status: 101,
          headers: { 'Sec-WebSocket-Protocol': header.exactly('chat') },
        },
        {
          id: 'other-offered',
          proves: 'a subprotocol the server does not speak is not answered (superchat is not chat)',
          request: { headers: { 'Sec-WebSocket-Protocol': 'superchat' } },
          status: 101,
          headers: { 'Sec-WebSocket-Protocol': header.absent },
          mistake:
            'Answer only a subprotocol the client offered, and only chat: compare whole names, not parts of them (includes("chat") on the header finds superchat).',
        },
        {
          id: 'none-offered',
          proves: 'with nothing offered, no subprotocol is answered',
          request: {},
          status: 101,
          headers: { 'Sec-WebSocket-Protocol': header.absent },
          mistake: 'A client that offered no subprotocol must get none: a browser fails the connection when the server names one anyway.',
        },
      ],
    }),
    handshakeCaseCheck({
      id: 'bad-request',
      name: 'refuses a broken upgrade request with 400 Bad Request',
      needs: ['accept'],
      cases: [
        {
          id: 'upgrade-alone',
          proves: 'Upgrade: websocket without Connection: Upgrade is refused',
          request: { headers: { Connection: 'keep-alive' } },
          status: 400,
          mistake: 'A request with only one of the two upgrade headers reaches the "request" handler, not "upgrade": answer it 400 there.',
        },
        {
          id: 'connection-alone',
          proves: 'Connection: Upgrade without an Upgrade header is refused',
          request: { headers: { Upgrade: undefined } },
          status: 400,
          mistake: 'A request with only one of the two upgrade headers reaches the "request" handler, not "upgrade": answer it 400 there.',
        },
        {
          id: 'no-key',
          proves: 'a request without Sec-WebSocket-Key is refused',
          request: { headers: { 'Sec-WebSocket-Key': undefined } },
          status: 400,
          mistake: 'Without a key there is nothing to answer: check that request.headers["sec-websocket-key"] is there before computing anything.',
        },
        {
          id: 'short-key',
          proves: 'a key that is the base64 of 8 bytes, not 16, is refused',
          request: { headers: { 'Sec-WebSocket-Key': 'AAECAwQFBgc=' } },
          status: 400,
          mistake: 'A key is the base64 of exactly 16 bytes: Buffer.from(key, "base64") must have length 16 (and encode back to the same key).',
        },
        {
          id: 'not-base64',
          proves: 'a key that is not base64 at all is refused',
          request: { headers: { 'Sec-WebSocket-Key': 'this-is-not-a-key!!!!!==' } },
          status: 400,
          mistake: 'A key is the base64 of exactly 16 bytes: Buffer.from(key, "base64") must have length 16 and encode back to the same key.',
        },
        {
          id: 'post',
          proves: 'an upgrade request with the method POST is refused',
          request: { method: 'POST' },
          status: 400,
          mistake: 'The opening handshake is a GET request: check request.method.',
        },
      ],
    }),
    handshakeCaseCheck({
      id: 'wrong-version',
      name: 'answers another protocol version with 426 and Sec-WebSocket-Version: 13',
      needs: ['accept'],
      cases: [
        {
          id: 'version-8',
          proves: 'version 8 (an older draft) is refused with the version this server speaks',
          request: { headers: { 'Sec-WebSocket-Version': '8' } },
          status: 426,
          headers: { 'Sec-WebSocket-Version': header.is('13') },
          mistake:
            'A version the server does not speak is not a broken request: answer 426 Upgrade Required with Sec-WebSocket-Version: 13, so the client can try again in 13.',
        },
      ],
    }),
    handshakeCaseCheck({
      id: 'plain-http',
      name: 'answers a plain HTTP request with 426 and Upgrade: websocket',
      cases: [
        {
          id: 'plain-get',
          proves: 'GET / without any upgrade header is told to upgrade',
          request: { headers: PLAIN_HTTP },
          status: 426,
          headers: { Upgrade: header.is('websocket') },
          mistake: 'A plain request reaches the "request" handler: answer 426 Upgrade Required with the header Upgrade: websocket.',
        },
      ],
    }),
    frameCaseCheck({
      id: 'hello',
      name: `sends the hello as one unmasked text frame: 81 21, then the 33 bytes of "${HELLO}"`,
      needs: ['accept'],
      cases: [
        {
          id: 'hello',
          proves: 'the first frame after the 101 is the hello, as a server writes a frame',
          send: [],
          expect: [reply.text(HELLO)],
          mistake:
            'Right after the 101 head, write the frame: Buffer.concat([Buffer.from([0x81, payload.length]), payload]) (0x81: FIN and opcode 1, text; then the length, with the mask bit 0).',
        },
      ],
    }),
    frameCaseCheck({
      id: 'close',
      name: 'answers a close frame with a close frame with the same code, then ends the TCP connection',
      needs: ['hello'],
      cases: [
        {
          id: 'close-1000',
          proves: 'a normal close (1000) is answered with 1000 and the end of the connection',
          send: [frame.close(1000)],
          expect: [reply.text(HELLO), reply.close(1000), reply.end],
        },
        {
          id: 'close-4001',
          proves: 'the code is echoed, whatever it is (4001 here)',
          send: [frame.close(4001, 'bye')],
          expect: [reply.text(HELLO), reply.close(4001), reply.end],
          mistake: "Answer with the client's own code: the first two bytes of its (unmasked) payload, not always 1000.",
        },
      ],
    }),
    wsClientHelloCheck(HELLO, ['hello']),
    browserHelloCheck(HELLO, ['hello']),
    ...robustnessChecks(served, ['hello']).filter((check) => check.id !== 'malformed-frame'),
    connectionResetCheck(served, ['hello']),
  ],
  hints: [
    "server.on('upgrade', (request, socket) => { ... }) gets every request that asks to switch protocols: request.headers holds the headers (names in lower case), and socket is the raw TCP connection. You answer by writing text to it.",
    `Sec-WebSocket-Accept is createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64'). Try it on RFC 6455's example: ${RFC_EXAMPLE.key} must give ${RFC_EXAMPLE.accept}.`,
    "Every line of the response ends with \\r\\n, and one more \\r\\n (an empty line) ends the head: 'HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ...\\r\\n\\r\\n'.",
    'The hello is one frame: the byte 0x81 (FIN set, opcode 1: text), the byte 33 (no mask bit, length 33), then the 33 bytes of the text. Buffer.concat([Buffer.from([0x81, payload.length]), payload]).',
    "Refusals, in the 'upgrade' handler: not GET, Upgrade not websocket, or a key that is not the base64 of 16 bytes: 400. Sec-WebSocket-Version not 13: 426 with Sec-WebSocket-Version: 13. In the 'request' handler: one upgrade header alone is 400, none at all is 426 with Upgrade: websocket.",
    "The client's close frame: chunk[0] & 0x0f is 8; chunk[1] & 0x7f is the payload's length; bytes 2 to 5 are the mask; payload byte i is chunk[6 + i] ^ mask[i % 4]. Answer Buffer.from([0x88, 2, code >> 8, code & 0xff]) with socket.end(...), which also ends the connection.",
  ],
  demo: (port) =>
    runWireDemo('15', port, { headers: { 'Sec-WebSocket-Key': RFC_EXAMPLE.key, 'Sec-WebSocket-Protocol': 'superchat, chat' } }, [
      { send: [], answers: 1 },
      { send: [frame.close(1000)], answers: 1 },
    ]),
});
