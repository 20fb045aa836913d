import { readFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { colors as pc } from '../terminal/colors.ts';
import { onePositional, parseCommandArgs } from './args.ts';
import { confirm } from '../terminal/confirm.ts';
import { UsageError } from '../core/errors.ts';
import { findLesson, loadLesson, type Lesson } from '../running/lessons.ts';
import { displayPath } from '../core/paths.ts';
import { readProgress } from '../running/progress.ts';

const USAGE = 'npm run compare -- <lesson> [--yes]';

/** `npm run compare -- 3`: a coloured diff of the learner's file against the reference solution. */
export default async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('compare', args, { yes: { type: 'boolean' } }, USAGE);
  const query = onePositional('compare', positionals, USAGE);
  if (query === undefined) throw new UsageError(`compare: which lesson? Usage: ${USAGE}`);
  const lesson = await loadLesson(findLesson(query));
  const passed = readProgress().lessons[lesson.folder]?.status === 'passed';
  if (!passed && !(await confirm(`You have not passed lesson ${Number(lesson.id)} yet. See the solution anyway?`, values.yes ?? false))) {
    console.log(`No peeking, then. \`npm run hint -- ${Number(lesson.id)}\` gives a nudge instead.`);
    return 0;
  }
  console.log(compareWithSolution(lesson));
  return 0;
}

export function compareWithSolution(lesson: Lesson): string {
  const mine = readIfPresent(lesson.exerciseFile);
  const solution = readFileSync(lesson.solutionFile, 'utf8');
  if (mine === undefined) return `${displayPath(lesson.exerciseFile)} does not exist; here is the solution:\n\n${solution}`;
  if (mine === solution) return pc.green('Your file is the same as the reference solution.');
  const patch = createTwoFilesPatch(displayPath(lesson.exerciseFile), displayPath(lesson.solutionFile), mine, solution, 'yours', 'solution', { context: 3 });
  const legend = `${pc.red('- lines only in yours')}   ${pc.green('+ lines only in the solution')}`;
  return [legend, '', ...patch.split('\n').slice(2).map(colourLine)].join('\n');
}

function colourLine(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return pc.bold(line);
  if (line.startsWith('+')) return pc.green(line);
  if (line.startsWith('-')) return pc.red(line);
  if (line.startsWith('@@')) return pc.cyan(line);
  return line;
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
