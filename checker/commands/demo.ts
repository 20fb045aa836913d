import { colors as pc } from '../terminal/colors.ts';
import { onePositional, parseCommandArgs } from './args.ts';
import { withReferenceServer } from '../demos/demo.ts';
import { UsageError } from '../core/errors.ts';
import { runInteractiveClient } from '../demos/interactive-client.ts';
import { findLesson, loadLesson } from '../running/lessons.ts';

const USAGE = 'npm run demo -- <lesson> [--port 8080]';

/**
 * `npm run demo -- 3`: the lesson's reference solution running for real, to play with. By
 * default the reference server on localhost:8080 and an interactive client talking to it;
 * a lesson can define its own demo.
 */
export default async function demoCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('demo', args, { port: { type: 'string' } }, USAGE);
  const query = onePositional('demo', positionals, USAGE);
  if (query === undefined) throw new UsageError(`demo: which lesson? Usage: ${USAGE}`);
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`demo: --port takes a port number, like 8080. Usage: ${USAGE}`);
  const lesson = await loadLesson(findLesson(query));
  if (lesson.definition.demo) return lesson.definition.demo(port);
  if (lesson.definition.kind !== 'server') throw new UsageError(`demo: lesson ${lesson.id} has no demo.`);

  console.log(pc.bold(`Lesson ${lesson.id} · ${lesson.title}: the reference solution, running on ws://localhost:${port}`));
  return withReferenceServer(lesson.id, port, () => {
    console.log(pc.dim(`Open more terminals and run \`npm run client -- ws://localhost:${port}\` to add clients.`));
    return runInteractiveClient(`ws://localhost:${port}`);
  });
}
