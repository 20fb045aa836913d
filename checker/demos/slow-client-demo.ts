import { Transcript } from '../core/transcript.ts';
import { Flood } from '../peers/flood.ts';
import { ScriptedClient } from '../peers/scripted-client.ts';
import { MemoryWatch } from '../process/memory.ts';
import { findLesson, loadLesson } from '../running/lessons.ts';
import { colors as pc } from '../terminal/colors.ts';
import { withReferenceServer } from './demo.ts';
import { runInteractiveClient } from './interactive-client.ts';

const MIB = 1024 * 1024;
const MESSAGE_BYTES = 16 * 1024;
const MESSAGES = 2048;
/** A line of progress every this many messages (4 MiB). */
const REPORT_EVERY = 256;

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

/**
 * `npm run demo` for a hub that closes slow clients (lesson 14): the reference hub on the port,
 * first a show of what the lesson is about (a client stops reading while another publishes
 * 32 MiB and a third reads along, with the hub's memory printed as it goes), then an
 * interactive client to play with. Resolves with the exit status.
 */
export async function runSlowClientDemo(lessonQuery: string, port: number): Promise<number> {
  const lesson = await loadLesson(findLesson(lessonQuery));
  const url = `ws://localhost:${port}`;
  console.log(pc.bold(`Lesson ${lesson.id} · ${lesson.title}: the reference hub, running on ${url}`));
  return withReferenceServer(lesson.id, port, async (server) => {
    await showSlowClient(url, server.pid);
    console.log(pc.dim(`Now the hub is yours: type to publish. Open more terminals and run \`npm run client -- ${url}\` to add clients.`));
    return runInteractiveClient(url);
  });
}

async function showSlowClient(url: string, pgid: number): Promise<void> {
  const transcript = new Transcript();
  // Zero masks spare the publisher and the hub from masking 32 MiB (any mask is valid).
  const connect = (name: string) => new ScriptedClient({ name, url, transcript, wsOptions: { generateMask: (mask) => void mask.fill(0) } });
  const [publisher, reader, stalled] = [connect('publisher'), connect('reader'), connect('stalled')];
  try {
    await Promise.all([publisher, reader, stalled.stopReading()]);
    const memory = MemoryWatch.start(pgid);
    console.log(
      `Three clients are connected. "stalled" has stopped reading; "publisher" sends ${mib(MESSAGES * MESSAGE_BYTES)} in messages of 16 KiB, and "reader" reads along.`,
    );
    if (memory) console.log(`The hub's resident memory: ${mib(memory.baseline)}.`);
    const flood = new Flood({
      label: 'demo',
      publisher,
      receivers: [publisher, reader],
      laggards: [stalled],
      count: MESSAGES,
      size: MESSAGE_BYTES,
      window: 32,
      transcript,
    });
    try {
      await flood.publish({
        every: REPORT_EVERY,
        stop: (handled) => {
          const now = memory ? `; the hub's memory: ${mib(memory.sample())}` : '';
          console.log(`  ${mib(handled * MESSAGE_BYTES)} published and read by "reader"${now}`);
          return false;
        },
      });
      if (memory) {
        console.log(
          `The hub's memory rose in the first megabytes (Node.js sizing itself for this traffic), then stayed level: at most ${mib(memory.peak)}. ` +
            `Without a limit, all ${mib(MESSAGES * MESSAGE_BYTES)} would have piled up in it for "stalled".`,
        );
      }
      console.log('"stalled" reads again…');
      await stalled.readAgain();
      await flood.until(stalled, (reception) => reception.peer.closeInfo !== undefined, 3_000);
      const got = `it got the first ${flood.reception(stalled).received} messages (what the kernel's buffers held for it)`;
      const close = stalled.closeInfo;
      if (close?.code === 1006)
        console.log(`  ${got}, then its connection ended without a close frame: the hub had cut it (terminate()), as it never answered the close.`);
      else if (close) console.log(`  ${got}, then the close frame: code ${close.code}, "${close.reason}".`);
      else console.log(`  ${got}, and it is still connected.`);
    } finally {
      flood.end();
    }
  } catch (error) {
    console.log(pc.red(`The show stopped: ${error instanceof Error ? error.message : String(error)}`));
  } finally {
    for (const client of [publisher, reader, stalled]) client.terminate();
  }
}
