import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { projectRoot } from '../checker/core/paths.ts';

/**
 * A newcomer's first command, `npm install`, in a folder holding only what a fresh clone
 * installs from (package.json and the lockfile): it must finish without a single npm warning.
 * Packages come from npm's cache when it has them; the audit is left out, being a question
 * to the registry about the packages, not about this project's files.
 */
const folder = mkdtempSync(path.join(tmpdir(), 'workbook-install-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

it('npm install on a fresh clone prints no warnings', () => {
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(projectRoot, file), path.join(folder, file));
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit'], { cwd: folder, encoding: 'utf8', timeout: 240_000 });
  expect(install.status, install.stderr).toBe(0);
  const warnings = `${install.stdout}\n${install.stderr}`.split('\n').filter((line) => /\bwarn/i.test(line));
  expect(warnings).toEqual([]);
}, 240_000);
