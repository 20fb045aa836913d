import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../checker/core/paths.ts';

/**
 * A throwaway copy of the workbook, so command tests can edit exercises, reset them and write
 * progress without touching the learner's own files. node_modules is linked, not copied.
 */
export function copyWorkbook(): { root: string; remove: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'workbook-'));
  for (const entry of ['package.json', 'tsconfig.json', 'README.md', 'checker', 'lessons', 'exercises', 'solutions']) {
    cpSync(path.join(projectRoot, entry), path.join(root, entry), { recursive: true });
  }
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
