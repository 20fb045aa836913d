/**
 * The common mistakes, each in one place and in the learner's words, so every lesson's
 * failures say the same true thing about them.
 */
export const explain = {
  binaryReply:
    'Your server replied with a binary frame. In ws 8 a message arrives as a Buffer, and sending a Buffer sends binary. ' +
    'Turn it into text first (data.toString()), or send a string you built, like `Echo: ${data}`. ' +
    'The second argument of the message handler, isBinary, tells you which kind arrived.',
  missingErrorListener:
    "A client sent a broken frame, ws reported it as an 'error' event on that connection, and with no 'error' listener " +
    "Node.js stops the whole program. Add socket.on('error', ...) to every connection (log it; ws closes that connection for you).",
  socketErrorListener:
    "A client's connection was reset, and Node.js reported it as an 'error' event on that socket; with no listener for it, " +
    "Node.js stops the whole program. In the 'upgrade' handler, add socket.on('error', (error) => console.error(error.message)) " +
    'before anything else: a connection can fail at any moment.',
  crashOnDisconnect:
    'Your server stopped when a client disconnected. Clients leave at any moment; the close handler must only tidy up ' +
    '(remove the client from your collection) and must not throw. Look at the error it printed as it stopped.',
  crashAfterBrokenFrame:
    "Your server stopped after a client sent a broken frame, though not for want of an 'error' listener (Node.js reported no " +
    "unhandled 'error' event). Look at the error it printed as it stopped: something that runs when a connection fails, its " +
    "'error' or 'close' handler, threw.",
  senderInBroadcast: (sender: string) =>
    `Sender included in a broadcast: ${sender} received ${sender}'s own message back. When you loop over the clients to pass ` +
    'a message on, skip the connection it came from: if (client !== socket) client.send(...).',
  closedClientNotRemoved:
    "Closed client not removed: a connection that has closed is still in your collection. Remove it in the socket's 'close' " +
    'handler (clients.delete(socket)), and tell the others there if they need to know; ws fires that event for every ending, ' +
    'a clean close or a dropped connection alike.',
  hardCodedPort: (port: number) =>
    `Your program is listening on port ${port}. Did you hard-code ${port} instead of reading PORT? Use: const port = Number(process.env.PORT ?? 8080);`,
  serverBlocked:
    'When a server accepts connections but answers nothing, usually something blocks its event loop: ' +
    'a loop that never ends, or reading the terminal synchronously (fs.readSync, a prompt that waits). While it waits, Node.js can ' +
    "do nothing else. Read standard input with readline's 'line' event instead, which lets the server go on serving.",
  sendToClosed:
    'Your server sent to a connection that was already closing or closed, and that error stopped it. A client can leave at any ' +
    'moment, even in the middle of a broadcast: skip every client whose readyState is not WebSocket.OPEN, and never let one ' +
    "failed send stop the server (ws's send() callback and promises wrapped around it report such errors).",
  exitBeforeClose:
    'process.exit() stops Node.js at once, before the close frame has been sent (and ws.terminate() drops the connection ' +
    'without one). Call ws.close() and let the program end by itself once the connection has closed (or exit in the close handler).',
  wsOnOwnPort:
    'Here one HTTP server listens on PORT and the WebSocketServer shares its port: create it with new WebSocketServer({ server }), ' +
    'not with a port of its own. The browser asks the HTTP server to upgrade the connection, and ws answers that request.',
  pageConnectsElsewhere:
    'The page must connect back to the server it was loaded from, whatever its address: ' +
    "new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`). A hard-coded ws://localhost:8080 " +
    'only works on one port of one machine.',
  htmlInjection:
    'The page put the message into the document as HTML (innerHTML, insertAdjacentHTML or similar), so markup in a message became ' +
    "real elements and ran code: anyone in the chat could run code in everyone's page (cross-site scripting). " +
    "Create the element and set its textContent: const item = document.createElement('li'); item.textContent = event.data;",
  formReloadsPage:
    "The page reloaded when the form was submitted, which closes its WebSocket. In the 'submit' handler call event.preventDefault() " +
    'first, so the browser does not send the form and load a new page.',
  notWebSocket:
    'Something accepted the connection on the port, then closed it without answering the WebSocket handshake. Is the program ' +
    'listening on PORT a WebSocket server? Create one with new WebSocketServer({ port }), or attach one to your HTTP server.',
  plainHttpAnswer: (status: number) =>
    `Your server answered the WebSocket handshake with an ordinary HTTP response (status ${status}) instead of switching to ` +
    'WebSocket (status 101). Hand upgrade requests to a WebSocketServer: new WebSocketServer({ server }) on your HTTP server.',
  exitedByItself: (program: string) =>
    `Your ${program} ended by itself, with status 0, while a connection was still in use: something called process.exit(), or ` +
    'closed what kept it running (the WebSocketServer, the connection). Look for what ends it, and when.',
  busyEventLoop: (program: string) =>
    `Your ${program} was busy computing all the while, without a pause. A loop that never ends, or a very long computation, ` +
    'blocks the event loop: until it finishes, Node.js cannot receive or send any message.',
  clientErrorListener:
    "Your client has no 'error' listener on its WebSocket. When the connection cannot be made, ws emits 'error', and an " +
    "'error' event nobody listens to stops Node.js with a stack trace. Add ws.on('error', (error) => { console.error(`Could not " +
    'connect to ${url}: ${error.message}`); process.exitCode = 1; }).',
  errorObjectPrinted:
    'Printing the whole error object (console.error(error)) prints its stack trace too. A user needs one readable line: ' + 'print error.message instead.',
  sendBeforeOpen:
    'Your client called ws.send() before the connection was open, and ws throws "WebSocket is not open" then. ' +
    "Opening takes a round trip to the server: send from the 'open' handler, ws.on('open', () => ws.send(...)).",
  blockedEventLoop:
    'Your client is stuck in code that never returns, so Node.js cannot run anything else: no message is received, ' +
    'no ping answered. A loop that waits for input, like a synchronous read of standard input (fs.readSync), does that. ' +
    "Read input with readline's 'line' event instead: Node.js calls your listener for every line, and is free in between.",
  blockedOnInput:
    "A chat client must print every message the moment it arrives, from ws.on('message', ...), whatever the input is doing. " +
    'Something kept your client from doing that while it waited for the user: a synchronous read of standard input blocks ' +
    'the event loop, and a loop that asks for a line (rl.question()) and then waits for one reply misses messages nobody ' +
    "asked for. Read input with readline's 'line' event and handle messages in their own listener.",
  jsonParseThrew:
    'JSON.parse threw on a message that is not JSON, and an exception in a message handler stops the whole server. Call it inside ' +
    'try/catch, and answer what does not parse with an error ("bad-json").',
  notJson:
    'Every message of this protocol is one JSON object in a text frame. Build an object and send JSON.stringify(object), ' + 'never text written by hand.',
  binaryJson: 'Your server sent a binary frame. The protocol is JSON in text frames: send the string JSON.stringify(message), ' + 'not a Buffer made from it.',
  jsonTwice:
    'The message was turned into JSON twice: what arrived is a JSON string holding JSON. Call JSON.stringify once, on the object, ' + 'just before sending it.',
} as const;

/**
 * Names the likely mistake from a crashed program's error output, if it is a known one. A
 * missing 'error' listener is named only when Node.js reported an 'error' event nobody listened to.
 */
export function explainCrash(stderr: string): string | undefined {
  if (/WebSocket is not open: readyState 0/.test(stderr)) return explain.sendBeforeOpen;
  const unhandledErrorEvent = /Unhandled 'error' event|Emitted 'error' event on/.test(stderr);
  if (unhandledErrorEvent && /Invalid WebSocket frame|MASK must be set|WS_ERR_/i.test(stderr)) return explain.missingErrorListener;
  if (unhandledErrorEvent && /ECONNREFUSED|Emitted 'error' event on WebSocket instance/.test(stderr)) return explain.clientErrorListener;
  if (/WebSocket is not open: readyState [23]/.test(stderr)) return explain.sendToClosed;
  if (/SyntaxError: .*(JSON|Unexpected (token|end of input))/.test(stderr)) return explain.jsonParseThrew;
  return undefined;
}

/** Names the likely mistake when a WebSocket connection could not be opened, from ws's error. */
export function explainConnectError(message: string): string | undefined {
  const status = /Unexpected server response: (\d+)/.exec(message)?.[1];
  if (status) return explain.plainHttpAnswer(Number(status));
  if (/ECONNRESET|socket hang up|EPIPE|closed during the handshake/i.test(message)) return explain.notWebSocket;
  return undefined;
}
