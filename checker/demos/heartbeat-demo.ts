import WebSocket from 'ws';
import { colors as pc } from '../terminal/colors.ts';
import { withReferenceServer } from './demo.ts';
import { runInteractiveClient } from './interactive-client.ts';

/** The demo's heartbeat: slow enough to watch each beat. */
const DEMO_HEARTBEAT_MS = 2_000;
/** How many pings Ghost answers before it vanishes. */
const GHOST_ANSWERS = 3;

/**
 * `npm run demo` for lesson 11: the reference server with a heartbeat every two seconds, Ghost
 * in the chat, who answers three pings and then vanishes without a word (as a laptop whose lid
 * is shut), and this terminal as a chat client that shows the pings and sees Ghost time out.
 */
export async function runHeartbeatDemo(port: number): Promise<number> {
  const url = `ws://localhost:${port}`;
  console.log(pc.bold(`Lesson 11: the reference server on ${url}, with a heartbeat every ${DEMO_HEARTBEAT_MS / 1000} s (HEARTBEAT_MS=${DEMO_HEARTBEAT_MS}).`));
  return withReferenceServer(
    '11',
    port,
    async () => {
      const ghost = startGhost(url);
      console.log(
        pc.dim(
          `Ghost has joined; it answers ${GHOST_ANSWERS} pings, then vanishes: no pong, no close frame. Join quickly and watch the server ` +
            'notice within two beats: {"type":"left","name":"Ghost","reason":"timeout"}.',
        ),
      );
      console.log(
        pc.dim(
          'Type a name to join, then lines to say. A line that starts with { is sent as it is: try {"type":"ping","id":42}. ' +
            `Freeze a client of your own (npm run client -- ${url}, then Ctrl-Z in its terminal) and see it go the same way.`,
        ),
      );
      const status = await runInteractiveClient(url, { onLine: asJsonChat(), showPings: true });
      ghost.terminate();
      return status;
    },
    { env: { HEARTBEAT_MS: String(DEMO_HEARTBEAT_MS) } },
  );
}

/** Ghost: joins, answers a few pings by hand, then answers nothing ever again. */
function startGhost(url: string): WebSocket {
  const ghost = new WebSocket(url, { autoPong: false });
  ghost.on('error', () => {}); // Ghost's end is the point of the demo, not a failure of it.
  ghost.on('open', () => ghost.send(JSON.stringify({ type: 'join', name: 'Ghost' })));
  let answered = 0;
  ghost.on('ping', (data) => {
    if (answered++ < GHOST_ANSWERS) ghost.pong(data);
  });
  return ghost;
}

/** Typed lines as the lesson 09 protocol: the first one joins, later ones say; a line starting with { is sent as typed. */
function asJsonChat(): (line: string, send: (text: string) => void) => void {
  let joined = false;
  return (line, send) => {
    if (line.trimStart().startsWith('{')) return send(line);
    send(JSON.stringify(joined ? { type: 'say', text: line } : { type: 'join', name: line }));
    joined = true;
  };
}
