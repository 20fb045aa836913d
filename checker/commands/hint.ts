import { colors as pc } from '../terminal/colors.ts';
import { onePositional, parseCommandArgs } from './args.ts';
import { UsageError } from '../core/errors.ts';
import { findLesson, loadLesson } from '../running/lessons.ts';
import { readProgress, updateProgress } from '../running/progress.ts';

const USAGE = 'npm run hint -- <lesson>';

/** `npm run hint -- 3`: the next hint of lesson 3; hints are progressive and remembered. */
export default async function hintCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('hint', args, {}, USAGE);
  const query = onePositional('hint', positionals, USAGE);
  if (query === undefined) throw new UsageError(`hint: which lesson? Usage: ${USAGE}`);
  const lesson = await loadLesson(findLesson(query));
  console.log(nextHint(lesson.folder, lesson.definition.hints, Number(lesson.id)));
  return 0;
}

/** Shows the next unseen hint (the last one again once all are seen) and records it. */
export function nextHint(folder: string, hints: string[], number: number): string {
  if (hints.length === 0) return `Lesson ${number} has no hints.`;
  const shown = readProgress().lessons[folder]?.hintsShown ?? 0;
  const index = Math.min(shown, hints.length - 1);
  updateProgress((progress) => {
    progress.lessons[folder] = { ...progress.lessons[folder], hintsShown: Math.min(shown + 1, hints.length) };
  });
  const heading = pc.bold(pc.yellow(`Hint ${index + 1} of ${hints.length} for lesson ${number}:`));
  const after =
    index + 1 < hints.length
      ? pc.dim(`Run \`npm run hint -- ${number}\` again for the next one.`)
      : pc.dim(`That was the last hint. \`npm run compare -- ${number}\` shows the reference solution next to your file.`);
  return `${heading}\n${hints[index]}\n\n${after}`;
}
