import { colors as pc } from '../terminal/colors.ts';
import { withReferenceServer } from './demo.ts';
import { runInteractiveClient } from './interactive-client.ts';
import { findLesson, loadLesson } from '../running/lessons.ts';

const SAY = /^\/say (.*)$/;

/**
 * `npm run demo` for a server that reads its terminal (lesson 05): the reference server runs
 * on the port, what the person types goes to that server's standard input (as if typed in
 * the server's own terminal), and a client connected to it shows everything that arrives.
 * `/say text` sends text from that client instead. Resolves with the exit status.
 */
export async function runOperatorDemo(lessonQuery: string, port: number): Promise<number> {
  const lesson = await loadLesson(findLesson(lessonQuery));
  const url = `ws://localhost:${port}`;
  console.log(pc.bold(`Lesson ${lesson.id} · ${lesson.title}: the reference solution, running on ${url}`));
  return withReferenceServer(lesson.id, port, (server) => {
    console.log(pc.dim(`You are the server's operator: what you type goes to its standard input. Below, a client connected to it shows what arrives.`));
    console.log(pc.dim(`Open more terminals and run \`npm run client -- ${url}\` to add clients who talk.`));
    return runInteractiveClient(url, {
      help: 'Type a line for the server and press Enter; /say <text> sends <text> from this client; /quit (or Ctrl-D) to leave.',
      onLine: (line, send) => {
        const said = SAY.exec(line);
        if (said) send(said[1]!);
        else server.writeLine(line);
      },
    });
  });
}
