import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLessons, loadLesson } from '../checker/running/lessons.ts';
import { projectRoot } from '../checker/core/paths.ts';
import { checkNamed, checkProgram } from './helpers.ts';

/**
 * Every file in test/mutants/NN-slug/ is a realistic wrong program. Its header says what the
 * mistake is, which check must fail, and what the failure must say:
 *
 *   // mutant: sends the Buffer back (a binary frame)
 *   // fails: replies
 *   // message: /binary frame.*isBinary/s
 *
 * "message" is a regular expression matched against the check's message, expected/received
 * and explanation together. A mutant may also name the checks that must still pass (// passes: a, b).
 * A tests lesson's mutants are test suites, each run against every server of the lesson.
 */
interface Mutant {
  lesson: string;
  file: string;
  mistake: string;
  fails: string;
  message: RegExp;
  passes: string[];
}

function readMutants(): Mutant[] {
  const root = path.join(projectRoot, 'test', 'mutants');
  const mutants: Mutant[] = [];
  for (const lesson of listLessons()) {
    let files: string[] = [];
    try {
      files = readdirSync(path.join(root, lesson.folder)).filter((f) => /\.(ts|mjs|js|py|sh)$/.test(f) && !f.startsWith('_'));
    } catch {
      continue;
    }
    for (const name of files) {
      const file = path.join(root, lesson.folder, name);
      const header = readFileSync(file, 'utf8');
      const field = (key: string) => new RegExp(`^\\s*(?://|#)\\s*${key}:\\s*(.+)$`, 'm').exec(header)?.[1]?.trim();
      const message = field('message');
      const pattern = message && /^\/(.*)\/([a-z]*)$/.exec(message);
      if (!field('fails') || !pattern) throw new Error(`${file}: the header needs "fails:" and "message: /regex/"`);
      mutants.push({
        lesson: lesson.id,
        file,
        mistake: field('mutant') ?? name,
        fails: field('fails')!,
        message: new RegExp(pattern[1]!, pattern[2]),
        passes: (field('passes') ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      });
    }
  }
  return mutants;
}

const mutants = readMutants();
const lessons = await Promise.all(listLessons().map(loadLesson));
const kinds = new Map(lessons.map((lesson) => [lesson.id, lesson.definition.kind]));
/**
 * A tests lesson's mutant starts a dozen servers and a vitest of its own, and some run ten
 * seconds by design: two at a time, so that the machine can still start their servers, and
 * with time to wait for their turn.
 */
const suiteTurn = turns(2);
const SUITE_MUTANT_MS = 300_000;

describe('mutants', () => {
  it('every lesson has at least five', () => {
    for (const lesson of listLessons()) {
      expect(mutants.filter((m) => m.lesson === lesson.id).length, `mutants for ${lesson.folder}`).toBeGreaterThanOrEqual(5);
    }
  });
});

/** Lessons that load the machine themselves, and measure times and memory: their mutants run one at a time, with nothing beside them. */
const alone = new Set(lessons.filter((lesson) => lesson.definition.runsAlone || lesson.definition.racesTheClock).map((lesson) => lesson.id));
const titled = mutants.map((m) => ({ ...m, title: `${m.lesson}/${path.basename(m.file)}: ${m.mistake}` }));

function mutantTest(mutant: Mutant): void {
  it(`fails "${mutant.fails}" with a message that names the mistake`, {
    timeout: kinds.get(mutant.lesson) === 'tests' ? SUITE_MUTANT_MS : undefined,
  }, async () => {
    const source = mutant.file.endsWith('.ts') ? mutant.file : { kind: 'command' as const, command: commandFor(mutant.file) };
    const checkIt = () => checkProgram(mutant.lesson, source);
    const result = await (kinds.get(mutant.lesson) === 'tests' ? suiteTurn(checkIt) : checkIt());
    const check = checkNamed(result, mutant.fails);
    const said = [check.message, check.details?.expected, check.details?.received, check.details?.explanation].join('\n');
    expect(check.status, said).toBe('failed');
    expect(said).toMatch(mutant.message);
    for (const id of mutant.passes) expect(checkNamed(result, id).status, `${id} should still pass`).toBe('passed');
  });
}

describe.concurrent.each(titled.filter((m) => !alone.has(m.lesson)))('$title', mutantTest);
describe.sequential.each(titled.filter((m) => alone.has(m.lesson)))('$title', mutantTest);

/** Runs the work handed to it at most `count` at a time, in the order it was handed over. */
function turns(count: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running < count) running++;
    // Else wait for a turn: a finishing run hands its turn straight on.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

function commandFor(file: string): string {
  if (file.endsWith('.py')) return `python3 ${JSON.stringify(file)}`;
  if (file.endsWith('.sh')) return `sh ${JSON.stringify(file)}`;
  return `node ${JSON.stringify(file)}`;
}
