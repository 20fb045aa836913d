import { colors as pc } from './colors.ts';
import { findLesson, loadLesson, type Lesson } from './lessons.ts';
import { RunningProgram } from './program.ts';
import { waitUntilListening } from './readiness.ts';
import { CheckFailure } from './errors.ts';

/**
 * Building blocks for `npm run demo`: running a lesson's reference solution on a fixed port
 * for a person to play with, its output shown dimmed.
 */
export async function startReferenceServer(lessonQuery: string, port: number): Promise<RunningProgram> {
  const lesson = await loadLesson(findLesson(lessonQuery));
  const program = RunningProgram.start({ kind: 'file', file: lesson.solutionFile }, { env: { PORT: String(port) }, cwd: lesson.solutionDir, label: 'server' });
  program.onOutput = (line) => console.log(pc.dim(`  server │ ${line.text}`));
  try {
    await waitUntilListening(program, port);
  } catch (failure) {
    await program.stop();
    const busy = /EADDRINUSE/.test(program.stderr.text());
    throw new Error(busy ? `Port ${port} is already in use. Try another one: npm run demo -- ${Number(lesson.id)} --port ${port + 1}` : failure instanceof CheckFailure ? failure.message : String(failure));
  }
  return program;
}

/** Starts a reference client program (lessons 03 and 07) attached to this terminal. */
export function startReferenceClient(lesson: Lesson, url: string): RunningProgram {
  const program = RunningProgram.start({ kind: 'file', file: lesson.solutionFile }, { env: { WS_URL: url }, cwd: lesson.solutionDir, label: 'client' });
  program.onOutput = (line) => (line.stream === 'stdout' ? console.log(line.text) : console.error(line.text));
  return program;
}
