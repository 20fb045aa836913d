import { readFileSync } from 'node:fs';
import { colors as pc } from '../terminal/colors.ts';
import { onePositional, parseCommandArgs } from './args.ts';
import { findLesson, listLessons, PARTS, readmeTitle, type LessonInfo } from '../running/lessons.ts';
import { displayPath } from '../core/paths.ts';
import { readProgress } from '../running/progress.ts';
import { isInteractive } from '../terminal/interactive.ts';

const USAGE = 'npm run lesson [lesson]';

/**
 * `npm run lesson`: the list of lessons with the learner's progress (pick one in a terminal).
 * `npm run lesson 3`: lesson 3's text, then in a terminal a menu of what to do next.
 */
export default async function lessonCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('lesson', args, {}, USAGE);
  const query = onePositional('lesson', positionals, USAGE);
  let lesson = query === undefined ? undefined : findLesson(query);
  if (!lesson) {
    console.log(formatLessonList());
    if (!isInteractive()) return 0;
    lesson = await pickLesson();
    if (!lesson) return 0;
  }
  // Loaded only now: the Markdown renderer takes longer to load than the lesson list takes to show.
  const { renderMarkdown } = await import('../terminal/markdown.ts');
  while (lesson) {
    console.log(renderMarkdown(readFileSync(lesson.readmePath, 'utf8')));
    console.log(whereToWork(lesson));
    if (!isInteractive()) return 0;
    lesson = await lessonMenu(lesson);
  }
  return 0;
}

export function formatLessonList(): string {
  const progress = readProgress().lessons;
  const lines = [pc.bold('WebSocket Workbook'), ''];
  for (const lesson of listLessons()) {
    const part = PARTS.find((candidate) => candidate.first === lesson.id);
    if (part) lines.push(`${lines.length > 2 ? '\n' : ''}${pc.bold(part.title)}`);
    const status = progress[lesson.folder]?.status;
    const mark = status === 'passed' ? pc.green('✓ passed     ') : status === 'failed' ? pc.yellow('… in progress') : pc.dim('· not started');
    lines.push(`  ${mark}  ${lesson.id}  ${readmeTitle(lesson)}`);
  }
  const next = listLessons().find((lesson) => progress[lesson.folder]?.status !== 'passed');
  lines.push('', next ? `Next up: \`npm run lesson ${Number(next.id)}\`` : pc.green('Every lesson passes. Well done!'));
  return lines.join('\n');
}

function whereToWork(lesson: LessonInfo): string {
  const n = Number(lesson.id);
  return pc.dim(
    `Your file: ${displayPath(lesson.exerciseDir)}/   Check it: npm run check -- ${n}   Hint: npm run hint -- ${n}   Solution: npm run compare -- ${n}`,
  );
}

async function pickLesson(): Promise<LessonInfo | undefined> {
  const { default: prompts } = await import('prompts');
  const { folder } = await prompts({
    type: 'select',
    name: 'folder',
    message: 'Which lesson?',
    choices: listLessons().map((lesson) => ({ title: `${lesson.id}  ${readmeTitle(lesson)}`, value: lesson.folder })),
  });
  return typeof folder === 'string' ? findLesson(folder) : undefined;
}

/** The menu after a lesson's text. Returns the lesson to show next, or undefined to quit. */
async function lessonMenu(lesson: LessonInfo): Promise<LessonInfo | undefined> {
  const lessons = listLessons();
  const next = lessons[lessons.findIndex((l) => l.folder === lesson.folder) + 1];
  const n = lesson.id;
  const { default: prompts } = await import('prompts');
  for (;;) {
    const { action } = await prompts({
      type: 'select',
      name: 'action',
      message: `Lesson ${Number(n)}: what next?`,
      choices: [
        { title: 'Check my work', value: 'check' },
        { title: 'Show a hint', value: 'hint' },
        { title: 'Run the example (the reference solution)', value: 'demo' },
        { title: 'Compare my file with the solution', value: 'compare' },
        ...(next ? [{ title: `Next lesson: ${readmeTitle(next)}`, value: 'next' }] : []),
        { title: 'Read this lesson again', value: 'again' },
        { title: 'Quit', value: 'quit' },
      ],
    });
    switch (action) {
      case 'check':
        await (await import('./check.ts')).default([n]);
        break;
      case 'hint':
        await (await import('./hint.ts')).default([n]);
        break;
      case 'demo':
        await (await import('./demo.ts')).default([n]);
        break;
      case 'compare':
        await (await import('./compare.ts')).default([n]);
        break;
      case 'next':
        return next;
      case 'again':
        return lesson;
      default:
        return undefined;
    }
    console.log('');
  }
}
