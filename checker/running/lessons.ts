import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { ENTRY_FILE, type LessonDefinition } from './lesson-definition.ts';
import { exercisesDir, lessonsDir, solutionsDir } from '../core/paths.ts';
import type { Environment } from '../process/program.ts';

/**
 * Lessons are discovered from the folders in lessons/: a folder named NN-slug with a
 * README.md and a lesson.ts is lesson NN. The same name is used in exercises/ and solutions/.
 */
export interface LessonInfo {
  /** Two digits: "01". */
  id: string;
  slug: string;
  /** The folder name: "01-echo". */
  folder: string;
  readmePath: string;
  /** The learner's folder and the reference solution's folder. */
  exerciseDir: string;
  solutionDir: string;
  /** The pristine starter, copied back by `npm run reset`. */
  starterDir: string;
}

export interface Lesson extends LessonInfo {
  /** From the first heading of the lesson's README, the one place a title is written. */
  title: string;
  definition: LessonDefinition;
  exerciseFile: string;
  solutionFile: string;
  starterFile: string;
}

/** Where a lesson whose server needs environment variables keeps them. */
const ENVIRONMENT_FILE = 'environment.ts';

const FOLDER = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** The workbook's parts, each from its first lesson on, for the list of lessons. */
export const PARTS = [
  { first: '01', title: 'Part 1 · A chat that works' },
  { first: '09', title: 'Part 2 · Real-time systems for real' },
] as const;

export function listLessons(): LessonInfo[] {
  return readdirSync(lessonsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && FOLDER.test(entry.name))
    .filter((entry) => existsSync(path.join(lessonsDir, entry.name, 'lesson.ts')))
    .map((entry) => infoFor(entry.name))
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

function infoFor(folder: string): LessonInfo {
  const [, id, slug] = FOLDER.exec(folder)!;
  const lessonDir = path.join(lessonsDir, folder);
  return {
    id: id!,
    slug: slug!,
    folder,
    readmePath: path.join(lessonDir, 'README.md'),
    exerciseDir: path.join(exercisesDir, folder),
    solutionDir: path.join(solutionsDir, folder),
    starterDir: path.join(lessonDir, 'starter'),
  };
}

/** Finds a lesson by what a learner types: "3", "03", "03-client" or "client". */
export function findLesson(query: string): LessonInfo {
  const lessons = listLessons();
  const wanted = query.trim().toLowerCase();
  const number = /^\d{1,2}$/.test(wanted) ? wanted.padStart(2, '0') : undefined;
  const found = lessons.find((l) => l.id === number || l.folder === wanted || l.slug === wanted);
  if (found) return found;
  throw new UsageError(`There is no lesson "${query}". The lessons are ${lessonRange(lessons)}; \`npm run lesson\` lists them.`);
}

function lessonRange(lessons = listLessons()): string {
  return lessons.length > 0 ? `${Number(lessons[0]!.id)} to ${Number(lessons.at(-1)!.id)}` : 'none yet';
}

/** The lessons a check asks for: one, as findLesson() finds it, or a range of numbers, "9-12". */
export function findLessons(query: string): LessonInfo[] {
  const range = /^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$/.exec(query);
  if (!range) return [findLesson(query)];
  const [from, to] = [Number(range[1]), Number(range[2])];
  const lessons = listLessons().filter((lesson) => Number(lesson.id) >= from && Number(lesson.id) <= to);
  if (from > to) throw new UsageError(`"${query}" is no range of lessons: a range goes from the lower number to the higher, like 9-12.`);
  if (lessons.length === 0)
    throw new UsageError(`There are no lessons from ${from} to ${to}. The lessons are ${lessonRange()}; \`npm run lesson\` lists them.`);
  return lessons;
}

/**
 * The environment the lesson's server runs with, when the lesson keeps one in environment.ts
 * (the same object its lesson.ts gives as `env`): read without loading the lesson's checks, so
 * that the server can start while they load. None for a lesson without that file.
 */
export async function loadServerEnvironment(info: LessonInfo): Promise<Environment> {
  if (!existsSync(path.join(lessonsDir, info.folder, ENVIRONMENT_FILE))) return {};
  const module = (await import(`../../lessons/${info.folder}/environment.ts`)) as { default: Environment };
  return module.default;
}

export async function loadLesson(info: LessonInfo): Promise<Lesson> {
  // A relative pattern, which esbuild follows: the checker's build (start.mjs) holds every lesson.
  const module = (await import(`../../lessons/${info.folder}/lesson.ts`)) as { default: LessonDefinition };
  const definition = module.default;
  const entry = ENTRY_FILE[definition.kind];
  return {
    ...info,
    title: readmeTitle(info),
    definition,
    exerciseFile: path.join(info.exerciseDir, entry),
    solutionFile: path.join(info.solutionDir, entry),
    starterFile: path.join(info.starterDir, entry),
  };
}

/** The lesson's title, read from the first heading of its README without loading lesson.ts. */
export function readmeTitle(info: LessonInfo): string {
  const heading = /^#\s+(.+)$/m.exec(readFileSync(info.readmePath, 'utf8'));
  return heading?.[1]?.replace(/^Lesson\s+\d+\s*[:·.-]\s*/i, '').trim() ?? info.slug;
}
