import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Status } from './results.ts';
import { projectRoot } from '../core/paths.ts';

/**
 * The learner's progress: which lessons passed, and how many hints each has shown. One JSON
 * file at the project root, ignored by git, written atomically; if it is lost or unreadable
 * the workbook starts from empty and a full `npm run check` rebuilds it.
 */
interface LessonProgress {
  status?: Exclude<Status, 'skipped'>;
  checkedAt?: string;
  hintsShown?: number;
}

export interface Progress {
  version: 1;
  lessons: Record<string, LessonProgress>;
}

const PROGRESS_FILE = '.workbook-progress.json';

function progressPath(): string {
  return process.env.WORKBOOK_PROGRESS_FILE ?? path.join(projectRoot, PROGRESS_FILE);
}

let warned = false;

export function readProgress(): Progress {
  let text: string;
  try {
    text = readFileSync(progressPath(), 'utf8');
  } catch {
    return empty();
  }
  try {
    const parsed = JSON.parse(text) as Partial<Progress>;
    if (parsed && parsed.version === 1 && typeof parsed.lessons === 'object' && parsed.lessons !== null) {
      return { version: 1, lessons: parsed.lessons };
    }
  } catch {
    // Fall through: a corrupt file is replaced, never fatal.
  }
  if (!warned) console.error(`Your progress file (${PROGRESS_FILE}) was unreadable, so it starts afresh; \`npm run check\` rebuilds it.`);
  warned = true;
  return empty();
}

/** Applies `change` to the stored progress and writes it back atomically. */
export function updateProgress(change: (progress: Progress) => void): Progress {
  const progress = readProgress();
  change(progress);
  const file = progressPath();
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(temporary, file);
  return progress;
}

function empty(): Progress {
  return { version: 1, lessons: {} };
}
