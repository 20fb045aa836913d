/**
 * The common mistakes, each in one place and in the learner's words, so every lesson's
 * failures say the same true thing about them.
 */
export const explain = {
  binaryReply:
    'Your server replied with a binary frame. In ws 8 a message arrives as a Buffer, and sending a Buffer sends binary. ' +
    "Turn it into text first (data.toString()), or send a string you built, like `Echo: ${data}`. " +
    'The second argument of the message handler, isBinary, tells you which kind arrived.',
  missingErrorListener:
    "A client sent a broken frame, ws reported it as an 'error' event on that connection, and with no 'error' listener " +
    "Node.js stops the whole program. Add socket.on('error', ...) to every connection (log it; ws closes that connection for you).",
  crashOnDisconnect:
    'Your server stopped when a client disconnected. Clients leave at any moment; the close handler must only tidy up ' +
    "(remove the client from your collection) and must not throw. Also make sure every connection has an 'error' listener.",
  senderInBroadcast: (sender: string) =>
    `Sender included in a broadcast: ${sender} received ${sender}'s own message back. When you loop over the users to pass ` +
    'a message on, skip the connection it came from: if (client !== socket) client.send(...).',
  clientNotRemovedOnClose:
    "When a client disconnects, cleanly or not, ws emits 'close' on its connection. Handle it: remove the client from your " +
    'collection there and tell the others; a client that is never removed stays in every later broadcast.',
  hardCodedPort: (port: number) =>
    `Your program is listening on port ${port}. Did you hard-code ${port} instead of reading PORT? ` +
    'Use: const port = Number(process.env.PORT ?? 8080);',
  exitBeforeClose:
    'process.exit() stops Node.js at once, before the close frame has been sent. Call ws.close() and let the program end ' +
    'by itself once the connection has closed (or exit in the close handler).',
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
} as const;

/** Names the likely mistake from a crashed program's error output, if it is a known one. */
export function explainCrash(stderr: string): string | undefined {
  if (/Invalid WebSocket frame|Unhandled 'error' event|MASK must be set|WS_ERR_/i.test(stderr)) {
    return explain.missingErrorListener;
  }
  return undefined;
}
