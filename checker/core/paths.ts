import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workbook's root folder: the one holding package.json, lessons/, exercises/ and solutions/. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const lessonsDir = path.join(projectRoot, 'lessons');
export const exercisesDir = path.join(projectRoot, 'exercises');
export const solutionsDir = path.join(projectRoot, 'solutions');

/** Shows a path the way a learner sees it: relative to the workbook's root. */
export function displayPath(file: string): string {
  const relative = path.relative(projectRoot, file);
  return relative.startsWith('..') ? file : relative;
}
