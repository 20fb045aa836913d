import path from 'node:path';
import { createInterface } from 'node:readline';
import { colors as pc } from '../terminal/colors.ts';
import { findLesson, listLessons, loadLesson, type Lesson } from '../running/lessons.ts';
import { prepareProgram, RunningProgram, type Environment } from '../process/program.ts';
import { waitUntilListening } from '../process/readiness.ts';
import { CheckFailure, describeError } from '../core/errors.ts';

/**
 * Building blocks for `npm run demo`: running a lesson's reference solution on a fixed port
 * for a person to play with, its output shown dimmed.
 */
async function startReferenceServer(lessonQuery: string, port: number, options: ReferenceServerOptions): Promise<RunningProgram> {
  const lesson = await loadLesson(findLesson(lessonQuery));
  const demoLesson = options.demoLesson ?? lessonQuery;
  const env = { ...options.env, PORT: String(port) };
  const solution = await prepareProgram({ kind: 'file', file: lesson.solutionFile });
  const label = options.label ?? 'server';
  const program = RunningProgram.start(solution, { env, cwd: lesson.solutionDir, label });
  program.onOutput = (line) => console.log(pc.dim(`  ${label} │ ${line.text}`));
  try {
    await waitUntilListening(program, port);
  } catch (failure) {
    await program.stop();
    const busy = /EADDRINUSE/.test(program.stderr.text());
    throw new Error(
      busy
        ? `Port ${port} is already in use. Try another one: npm run demo -- ${Number(demoLesson)} --port ${port + 1}`
        : failure instanceof CheckFailure
          ? failure.message
          : String(failure),
    );
  }
  return program;
}

export interface ReferenceServerOptions {
  /** The lesson whose demo this is, when it is not the server's own (for the "try another port" hint). */
  demoLesson?: string;
  /** The server's environment besides PORT: a demo's own pace for a lesson's tunables. */
  env?: Environment;
  /** The name its output is shown under, when a demo runs more than one server; else "server". */
  label?: string;
}

/**
 * Runs `use` with lesson `lessonQuery`'s reference server on the port, and stops the server
 * afterwards. When the server cannot start (the port is taken, say), or `use` fails, says why in
 * one line and resolves with 1; otherwise with what `use` resolved with.
 */
export async function withReferenceServer(
  lessonQuery: string,
  port: number,
  use: (server: RunningProgram) => Promise<number>,
  options: ReferenceServerOptions = {},
): Promise<number> {
  let server: RunningProgram;
  try {
    server = await startReferenceServer(lessonQuery, port, options);
  } catch (error) {
    console.error(pc.red(describeError(error)));
    return 1;
  }
  try {
    return await use(server);
  } catch (error) {
    console.error(pc.red(describeError(error)));
    return 1;
  } finally {
    await server.stop();
  }
}

/**
 * Starts a reference client program (lessons 03 and 07) attached to this terminal. With
 * `typing`, the lines typed here go to its standard input, and Ctrl-D ends that input. (The
 * program runs in its own process group, which may not read the terminal itself.)
 */
async function startReferenceClient(lesson: Lesson, url: string, options: { typing?: boolean } = {}): Promise<RunningProgram> {
  const solution = await prepareProgram({ kind: 'file', file: lesson.solutionFile });
  const program = RunningProgram.start(solution, { env: { WS_URL: url }, cwd: lesson.solutionDir, label: 'client' });
  program.onOutput = (line) => (line.stream === 'stdout' ? console.log(line.text) : console.error(line.text));
  if (options.typing) {
    const typed = createInterface({ input: process.stdin, terminal: false });
    typed.on('line', (line) => program.writeLine(line));
    typed.on('close', () => program.endInput());
    void program.exited.then(() => typed.close());
  }
  return program;
}

/**
 * `npm run demo` for a client lesson: the reference server of lesson `server` on the port, and
 * the reference client of lesson `client` talking to it. Resolves with the client's exit status.
 */
export async function runClientDemo(options: { client: string; server: string; port: number; typing?: boolean; intro?: string }): Promise<number> {
  const client = await loadLesson(findLesson(options.client));
  const server = listLessons().find((lesson) => lesson.id === options.server);
  if (!server) {
    console.error(
      `This demo runs the reference client of lesson ${client.id} against the reference server of lesson ${options.server}, ` +
        `which is not in this workbook yet. Start any suitable server yourself and run: WS_URL=ws://localhost:8080 npx tsx ${path.relative(process.cwd(), client.solutionFile)}`,
    );
    return 1;
  }
  const url = `ws://localhost:${options.port}`;
  console.log(pc.bold(`Lesson ${client.id} · ${client.title}: the reference client, talking to lesson ${server.id}'s reference server on ${url}`));
  return withReferenceServer(
    server.id,
    options.port,
    async () => {
      if (options.intro) console.log(pc.dim(options.intro));
      const exit = await (await startReferenceClient(client, url, { typing: options.typing })).exited;
      return exit.code ?? 1;
    },
    { demoLesson: client.id },
  );
}
