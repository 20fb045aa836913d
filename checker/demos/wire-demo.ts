import { Transcript } from '../core/transcript.ts';
import type { FrameSpec } from '../peers/frames.ts';
import { RawPeer } from '../peers/raw-peer.ts';
import type { UpgradeRequest } from '../peers/upgrade-request.ts';
import { findLesson, loadLesson } from '../running/lessons.ts';
import { colors as pc } from '../terminal/colors.ts';
import { withReferenceServer } from './demo.ts';
import { runInteractiveClient } from './interactive-client.ts';

/** One step of a conversation shown byte by byte: frames to send, and how many frames the answer has. */
export interface WireStep {
  send: FrameSpec[];
  answers: number;
}

/**
 * `npm run demo` for the lessons where the protocol is written by hand (15-16): the reference
 * server on the port, a conversation over a connection made by hand with every line of the
 * handshake and every frame shown (headers in bytes), then an interactive client to play with.
 */
export async function runWireDemo(lessonQuery: string, port: number, request: UpgradeRequest, steps: WireStep[]): Promise<number> {
  const lesson = await loadLesson(findLesson(lessonQuery));
  const url = `ws://localhost:${port}`;
  console.log(pc.bold(`Lesson ${lesson.id} · ${lesson.title}: the reference solution, running on ${url}`));
  return withReferenceServer(lesson.id, port, async () => {
    console.log(pc.dim('First, a connection made by hand. Every line of the handshake, and every frame (its header in bytes):'));
    const transcript = new Transcript();
    const peer = await RawPeer.connect({ name: 'client', host: '127.0.0.1', port, transcript });
    try {
      await peer.openWebSocket(request);
      for (const step of steps) {
        await peer.send(step.send);
        for (let i = 0; i < step.answers; i++) await peer.nextFrame('an answer');
      }
      await peer.expectEnd().catch(() => {});
    } finally {
      peer.destroy();
      for (const line of transcript.lines()) console.log(`  ${line}`);
    }
    console.log(pc.dim(`Now a real client (ws) on the same server. Open more terminals and run \`npm run client -- ${url}\` for more.`));
    return runInteractiveClient(url);
  });
}
