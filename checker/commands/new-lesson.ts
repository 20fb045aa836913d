import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { displayPath, exercisesDir, lessonsDir, projectRoot, solutionsDir } from '../core/paths.ts';
import { ENTRY_FILE, type LessonDefinition } from '../running/lesson-definition.ts';
import { listLessons } from '../running/lessons.ts';
import { colors as pc } from '../terminal/colors.ts';
import { parseCommandArgs } from './args.ts';

const USAGE = 'npm run new-lesson -- <number> <slug> server|client|tests ["Title"]';
type Kind = LessonDefinition['kind'];

/** What the learner writes in a lesson of each kind. */
const WRITES: Record<Kind, string> = { server: 'server', client: 'client', tests: 'test suite' };

/**
 * `npm run new-lesson -- 19 presence server "Who is online"`: writes every file a lesson needs,
 * each a compiling placeholder that says what to fill in, and lists the lesson in the root
 * README's table. The lesson rules test (test/lesson-rules.test.ts) then says what is missing.
 */
export default async function newLessonCommand(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('new-lesson', args, {}, USAGE);
  const [number, slug, kind, title = titleFromSlug(slug ?? '')] = positionals;
  if (!number || !/^\d{1,2}$/.test(number)) throw new UsageError(`new-lesson: give the lesson's number first. Usage: ${USAGE}`);
  if (!slug || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug))
    throw new UsageError(`new-lesson: the slug is lower-case words joined by dashes, like chat-rooms. Usage: ${USAGE}`);
  if (!isKind(kind)) throw new UsageError(`new-lesson: the kind is server, client or tests. Usage: ${USAGE}`);
  const id = number.padStart(2, '0');
  const taken = listLessons().find((lesson) => lesson.id === id);
  if (taken) throw new UsageError(`new-lesson: lesson ${id} exists already (${taken.folder}).`);

  const folder = `${id}-${slug}`;
  const entry = ENTRY_FILE[kind];
  const files: Record<string, string> = {
    [path.join(lessonsDir, folder, 'README.md')]: lessonText(id, title, kind),
    [path.join(lessonsDir, folder, 'lesson.ts')]: lessonModule(kind),
    [path.join(lessonsDir, folder, 'starter', entry)]: program(kind, 'TODO: the exercise, as the learner finds it. It runs and fails the checks.'),
    [path.join(exercisesDir, folder, entry)]: program(kind, 'TODO: the exercise, as the learner finds it. It runs and fails the checks.'),
    [path.join(solutionsDir, folder, entry)]: program(kind, 'TODO: the reference solution, written as a model for learners.'),
    [path.join(projectRoot, 'test', 'mutants', folder, 'README.md')]: mutantsNote(folder),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file)) writeFileSync(file, text);
  }
  listInReadme(id, title, kind);
  console.log(pc.green(`Lesson ${id} is scaffolded:`));
  for (const file of Object.keys(files)) console.log(`  ${displayPath(file)}`);
  console.log('Fill them in; `npx vitest run test/lesson-rules.test.ts` says what a lesson still lacks.');
  return 0;
}

function isKind(kind: string | undefined): kind is Kind {
  return kind !== undefined && Object.hasOwn(WRITES, kind);
}

function titleFromSlug(slug: string): string {
  const words = slug.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function lessonText(id: string, title: string, kind: Kind): string {
  return `# Lesson ${id} · ${title}

TODO: what the learner builds in this lesson, and why it matters.

## TODO: the concepts, one heading each, with a small diagram where it helps

## The contract

Your ${WRITES[kind]} must:

- TODO: the lesson's contract, copied from the curriculum.

Your file also has to type-check.

## Run it, poke it, check it

\`\`\`
npm run demo -- ${Number(id)}
npm run check -- ${Number(id)}
\`\`\`

## Common mistakes the checker catches

- TODO: each mistake a mutant makes, and what the checker says about it.
`;
}

function lessonModule(kind: Kind): string {
  if (kind === 'tests') {
    return `import { defineLesson } from '../../checker/lesson-api.ts';

export default defineLesson({
  kind: 'tests',
  hints: ['TODO: the first hint', 'TODO: a more detailed hint'],
  checks: [
    {
      id: 'reference',
      name: 'passes against the reference server, in three runs',
      server: 'solutions/06-chat/server.ts',
      about: 'the reference server, a correct lesson 06 chat server',
      expect: 'pass',
      runs: 3,
    },
    {
      id: 'todo',
      name: 'TODO: catches a server that breaks a rule (the wrong server is a file, relative to the workbook root)',
      server: 'test/mutants/06-chat/sender-included.ts',
      about: 'a server that sends a chat line back to its sender too',
      expect: 'fail',
      needs: ['reference'],
      howToCatch: 'TODO: how a test catches this mistake',
    },
  ],
});
`;
  }
  const context = kind === 'server' ? 'ServerCheckContext' : 'ClientCheckContext';
  return `import { defineLesson, type ${context} } from '../../checker/lesson-api.ts';

export default defineLesson({
  kind: '${kind}',
  hints: ['TODO: the first hint', 'TODO: a more detailed hint'],
  checks: [
    {
      id: 'todo',
      name: 'TODO: what the check proves, as a learner reads it',
      run: async (ctx: ${context}) => {
        ctx.note('TODO: write this check');
        throw new Error('this check is not written yet');
      },
    },
  ],
});
`;
}

function program(kind: Kind, todo: string): string {
  if (kind === 'tests') {
    return `import { describe, expect, it } from 'vitest';

// ${todo}
const url = process.env.WS_URL ?? 'ws://localhost:8080';

describe('the server at WS_URL', () => {
  it('TODO: a first test', () => {
    expect(url).toMatch(/^ws:/);
  });
});
`;
  }
  if (kind === 'server') {
    return `import { WebSocketServer } from 'ws';

// ${todo}
const port = Number(process.env.PORT ?? 8080);
const wss = new WebSocketServer({ host: '127.0.0.1', port });

wss.on('connection', (socket) => {
  socket.on('error', console.error);
});

console.log(\`Listening on ws://localhost:\${port}\`);
`;
  }
  return `import WebSocket from 'ws';

// ${todo}
const ws = new WebSocket(process.env.WS_URL ?? 'ws://localhost:8080');
ws.on('error', (error) => {
  console.error(\`Could not connect: \${error.message}\`);
  process.exitCode = 1;
});
`;
}

function mutantsNote(folder: string): string {
  return `# Mutants of lesson ${folder}

Each file here is a realistic wrong program with a header naming the check it must fail
(see test/mutants.test.ts). Replace this note with them.
`;
}

/** Adds the lesson's row to the lesson table of the root README, in number order. */
function listInReadme(id: string, title: string, kind: Kind): void {
  const readme = path.join(projectRoot, 'README.md');
  const lines = readFileSync(readme, 'utf8').split('\n');
  const rows = lines.map((line, index) => ({ index, number: /^\| (\d{2}) \|/.exec(line)?.[1] })).filter((row) => row.number);
  if (rows.length === 0) return;
  const after = rows.filter((row) => row.number! < id).at(-1) ?? rows[0]!;
  lines.splice(after.index + 1, 0, `| ${id} | ${title} | TODO: what the learner builds (a ${WRITES[kind]}) |`);
  writeFileSync(readme, lines.join('\n'));
}
