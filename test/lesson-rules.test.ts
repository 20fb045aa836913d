import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../checker/core/paths.ts';
import { listLessons, loadLesson, loadServerEnvironment } from '../checker/running/lessons.ts';
import { STARTS_CHECK } from '../checker/running/run-lesson.ts';
import { TYPE_CHECK } from '../checker/running/type-check-result.ts';

/**
 * Every rule a lesson must meet, in one place, so that a new lesson (npm run new-lesson) is
 * told what it still lacks. The behaviour rules (solution passes, starter fails, mutants fail)
 * are in lessons.test.ts and mutants.test.ts.
 */
const MIN_MUTANTS = 8;
const lessons = await Promise.all(listLessons().map(loadLesson));
const rootReadme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe.each(lessons)('lesson $folder', (lesson) => {
  it('its text opens with "# Lesson NN · Title", NN being its folder number', () => {
    const heading = readFileSync(lesson.readmePath, 'utf8').split('\n')[0];
    expect(heading).toMatch(new RegExp(`^# Lesson ${lesson.id} · \\S`));
  });

  it('its text has the contract and the common mistakes, and says that the file must type-check', () => {
    const text = readFileSync(lesson.readmePath, 'utf8');
    expect(text).toMatch(/^## The contract$/m);
    expect(text).toMatch(/^## Common mistakes/m);
    expect(text).toMatch(/type-check/);
  });

  it("the root README's lesson table lists it with the same title", () => {
    expect(rootReadme).toContain(`| ${lesson.id} | ${lesson.title} |`);
  });

  it('its exercise folder holds exactly the starter', () => {
    const starter = filesUnder(lesson.starterDir);
    expect(filesUnder(lesson.exerciseDir)).toEqual(starter);
    for (const file of starter) {
      const same = readFileSync(path.join(lesson.exerciseDir, file)).equals(readFileSync(path.join(lesson.starterDir, file)));
      expect(same, `${lesson.folder}: exercises/ and the starter differ in ${file}`).toBe(true);
    }
  });

  it('imports nothing from checker/ but the lesson API', () => {
    const source = readFileSync(path.join(projectRoot, 'lessons', lesson.folder, 'lesson.ts'), 'utf8');
    const fromChecker = [...source.matchAll(/from\s+'([^']*checker\/[^']*)'/g)].map((m) => m[1]);
    expect(fromChecker.filter((spec) => spec !== '../../checker/lesson-api.ts')).toEqual([]);
  });

  it(`has at least ${MIN_MUTANTS} mutants, each naming checks the lesson has`, () => {
    const dir = path.join(projectRoot, 'test', 'mutants', lesson.folder);
    const mutants = readdirSync(dir).filter((name) => /\.(ts|mjs|js|py|sh)$/.test(name) && !name.startsWith('_'));
    expect(mutants.length).toBeGreaterThanOrEqual(MIN_MUTANTS);
    // The runner's own checks: the first one (server lessons), and the type check after the lesson's.
    const ids = new Set([STARTS_CHECK.id, ...lesson.definition.checks.map((check) => check.id), TYPE_CHECK.id]);
    for (const name of mutants) {
      const header = readFileSync(path.join(dir, name), 'utf8');
      const field = (key: string) => new RegExp(`^\\s*(?://|#)\\s*${key}:\\s*(.+)$`, 'm').exec(header)?.[1]?.trim() ?? '';
      const named = [field('fails'), ...field('passes').split(',')].map((id) => id.trim()).filter(Boolean);
      expect(
        named.filter((id) => !ids.has(id)),
        `${lesson.folder}/${name} names checks the lesson does not have`,
      ).toEqual([]);
    }
  });

  it('names only server files that exist (a tests lesson runs its suite against them)', () => {
    const servers = lesson.definition.kind === 'tests' ? lesson.definition.checks.map((check) => check.server) : [];
    expect(servers.filter((server) => !existsSync(path.join(projectRoot, server)))).toEqual([]);
  });

  it("keeps its server's environment, if it has one, in environment.ts, so that the server can start before the checks load", async () => {
    const env = lesson.definition.kind === 'server' ? lesson.definition.env : undefined;
    expect(await loadServerEnvironment(lesson)).toEqual(env ?? {});
  });

  it('every check needs only checks listed before it', () => {
    const seen = new Set<string>();
    for (const check of lesson.definition.checks) {
      for (const needed of check.needs ?? []) expect(seen.has(needed), `${check.id} needs ${needed}`).toBe(true);
      seen.add(check.id);
    }
  });
});
