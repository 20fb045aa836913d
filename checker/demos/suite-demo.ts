import { colors as pc } from '../terminal/colors.ts';
import { displayPath } from '../core/paths.ts';
import { findLesson, loadLesson } from '../running/lessons.ts';
import { showSuite } from '../running/run-suite.ts';
import { withReferenceServer } from './demo.ts';

/**
 * `npm run demo` for a tests lesson: the learner's suite run once against the reference server
 * of lesson `serverLesson` on the port, reported by vitest itself, as `npx vitest run` would.
 * Resolves with vitest's exit status.
 */
export async function runSuiteDemo(lessonId: string, serverLesson: string, port: number): Promise<number> {
  const lesson = await loadLesson(findLesson(lessonId));
  const url = `ws://localhost:${port}`;
  console.log(
    pc.bold(
      `Lesson ${lesson.id} · ${lesson.title}: your tests in ${displayPath(lesson.exerciseFile)}, run against lesson ${serverLesson}'s reference server on ${url}.`,
    ),
  );
  return withReferenceServer(
    serverLesson,
    port,
    (server) => {
      // The server's own log would break up vitest's report.
      server.onOutput = undefined;
      return showSuite(lesson.exerciseFile, url, (line) => console.log(line.text), process.stdout.isTTY === true);
    },
    { demoLesson: lessonId },
  );
}
