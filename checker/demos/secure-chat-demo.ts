import WebSocket from 'ws';
import { colors as pc } from '../terminal/colors.ts';
import { withReferenceServer } from './demo.ts';
import { runInteractiveClient } from './interactive-client.ts';

/**
 * `npm run demo` for lesson 13: the reference server on the port with its default tokens, two
 * knocks at the door that are refused (no token; a good token from a foreign page), then this
 * terminal in the chat as Alice, her token in the query as a browser would send it.
 */
export async function runSecureChatDemo(port: number): Promise<number> {
  const base = `ws://localhost:${port}`;
  console.log(pc.bold(`Lesson 13: the reference server on ${base}, with TOKENS=alice-secret:Alice,bob-secret:Bob.`));
  return withReferenceServer('13', port, async () => {
    await knock(`${base}/`, {}, 'no token');
    await knock(`${base}/?token=alice-secret`, { origin: 'https://evil.example' }, 'a good token, from the page https://evil.example');
    console.log(
      pc.dim(`Now you are Alice (${base}/?token=alice-secret): your lines are sent as {"type":"say",…}; a line that starts with { is sent as typed.`),
    );
    console.log(
      pc.dim(
        `Bob can come in from another terminal: npm run client -- "${base}/?token=bob-secret". Try sending 11 lines fast, or {"type":"join","name":"Eve"}.`,
      ),
    );
    return runInteractiveClient(`${base}/?token=alice-secret`, {
      help: 'Type a line to say it; /quit (or Ctrl-D) to leave.',
      onLine: (line, send) => send(/^\s*[[{]/.test(line) ? line : JSON.stringify({ type: 'say', text: line })),
    });
  });
}

/** Tries to connect and shows the HTTP status the door answered with. */
function knock(url: string, options: WebSocket.ClientOptions, what: string): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, options);
    ws.on('unexpected-response', (_request, response) => {
      console.log(`${pc.yellow('knock')} with ${what}: ${pc.red(`HTTP ${response.statusCode} ${response.statusMessage ?? ''}`)}, no WebSocket`);
      response.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      console.log(`${pc.yellow('knock')} with ${what}: let in`);
      ws.close();
    });
    ws.on('error', () => {});
    ws.on('close', () => resolve());
  });
}
