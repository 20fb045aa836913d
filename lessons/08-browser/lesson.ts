import {
  chatChecks,
  chatPageChecks,
  colors as pc,
  defineLesson,
  pageServerChecks,
  robustnessChecks,
  servedByChat,
  type ServerCheck,
  startChatBot,
  withReferenceServer,
} from '../../checker/lesson-api.ts';

/**
 * The lesson 06 chat, spoken over connections to the page's own port: nothing to check there
 * until that port takes them. The protocol's rules all apply; the load test stays lesson 06's
 * (this lesson changes nothing in how messages are passed on, and it already runs a browser).
 */
const protocolChecks = chatChecks()
  .filter((check) => check.id !== 'load')
  .map((check): ServerCheck => ({ ...check, needs: [...(check.needs ?? []), 'same-port'] }));

export default defineLesson({
  kind: 'server',
  checks: [...pageServerChecks(), ...protocolChecks, ...robustnessChecks(servedByChat(), ['same-port']), ...chatPageChecks(['page', 'same-port'])],
  hints: [
    'Two jobs, one port: createServer from node:http answers ordinary requests, and new WebSocketServer({ server }) answers the upgrade requests that arrive at that same server. Only the HTTP server calls listen(PORT).',
    'In the request handler, look at request.url: for "/" read public/index.html (readFile from node:fs/promises, with new URL(\'./public/index.html\', import.meta.url)) and answer 200 with Content-Type text/html; for anything else answer 404.',
    "In the page, connect back to where it came from: new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`). Set #status to Connected in the 'open' event and to Disconnected in 'close'.",
    "In the 'message' event, create an element and set its textContent to event.data, then append it to #messages. Never innerHTML: a message is text, and HTML in it must stay text.",
    "Wrap the input and the button in a <form> and send in its 'submit' event: it fires on Enter and on a click. Call event.preventDefault() first, or the browser reloads the page.",
  ],
  demo: async (port) => {
    console.log(pc.bold(`Lesson 08 · A chat page in the browser: the reference solution, with Bot in the chat`));
    return withReferenceServer('08', port, async (server) => {
      const bot = await startChatBot(`ws://localhost:${port}`).catch(() => undefined);
      console.log(`Open ${pc.cyan(`http://localhost:${port}`)} in your browser, type a name, and chat${bot ? ` with ${bot.name}` : ''}.`);
      console.log(pc.dim(`Open a second tab (or run \`npm run client -- ws://localhost:${port}\`) for more people. Ctrl-C stops the server.`));
      const exit = await server.exited;
      return exit.code === 0 ? 0 : 1;
    });
  },
});
