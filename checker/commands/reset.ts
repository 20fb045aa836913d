import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { colors as pc } from '../terminal/colors.ts';
import { onePositional, parseCommandArgs } from './args.ts';
import { confirm } from '../terminal/confirm.ts';
import { UsageError } from '../core/errors.ts';
import { findLesson, type LessonInfo } from '../running/lessons.ts';
import { displayPath, projectRoot } from '../core/paths.ts';

const USAGE = 'npm run reset -- <lesson> [--yes]';
export const BACKUPS_DIR = '.workbook-backups';

/**
 * `npm run reset -- 3`: puts the starter of lesson 3 back. The learner's current files are
 * first copied to .workbook-backups/, so even a reset loses nothing.
 */
export default async function resetCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('reset', args, { yes: { type: 'boolean' } }, USAGE);
  const query = onePositional('reset', positionals, USAGE);
  if (query === undefined) throw new UsageError(`reset: which lesson? Usage: ${USAGE}`);
  const lesson = findLesson(query);
  if (!(await confirm(`Replace your files in ${displayPath(lesson.exerciseDir)} with the starter? (A copy of them is kept.)`, values.yes ?? false))) {
    console.log('Nothing was changed.');
    return 0;
  }
  const backup = resetLesson(lesson);
  console.log(pc.green(`Lesson ${Number(lesson.id)} is back to its starter.`) + (backup ? ` Your previous files are in ${displayPath(backup)}.` : ''));
  return 0;
}

/** Copies the starter over the exercise folder; returns where the old files were saved, if any. */
export function resetLesson(lesson: LessonInfo): string | undefined {
  let backup: string | undefined;
  if (existsSync(lesson.exerciseDir)) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backup = path.join(projectRoot, BACKUPS_DIR, `${lesson.folder}-${stamp}`);
    mkdirSync(path.dirname(backup), { recursive: true });
    cpSync(lesson.exerciseDir, backup, { recursive: true });
  }
  cpSync(lesson.starterDir, lesson.exerciseDir, { recursive: true, force: true });
  return backup;
}
