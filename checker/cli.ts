import { cleanUpEverything, exitStatusAfter, installExitCleanup } from './process/cleanup.ts';
import { describeError, UsageError } from './core/errors.ts';
import { exitWhenWritten, toleratePipesClosedByReader } from './terminal/exit-when-written.ts';

/**
 * The workbook's command line: `npm run <command> -- [arguments]` runs
 * `node checker/start.mjs <command> [arguments]`, which runs this file's build. Each command
 * lives in checker/commands/ and returns its exit status: 0 all passed, 1 something failed, 2 usage.
 */
const commands: Record<string, () => Promise<{ default: (args: string[]) => Promise<number> }>> = {
  lesson: () => import('./commands/lesson.ts'),
  check: () => import('./commands/check.ts'),
  hint: () => import('./commands/hint.ts'),
  compare: () => import('./commands/compare.ts'),
  reset: () => import('./commands/reset.ts'),
  demo: () => import('./commands/demo.ts'),
  client: () => import('./commands/client.ts'),
  'new-lesson': () => import('./commands/new-lesson.ts'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name === undefined ? undefined : commands[name];
  if (!load) throw new UsageError(`Unknown command "${name ?? ''}". Commands: ${Object.keys(commands).join(', ')} (run them as npm run <command>).`);
  const command = await load();
  return command.default(args);
}

toleratePipesClosedByReader();
installExitCleanup();
let status: number;
try {
  status = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    status = 2;
  } else {
    console.error(`The workbook hit an unexpected problem: ${describeError(error)}`);
    if (process.env.WORKBOOK_DEBUG) console.error(error);
    status = 1;
  }
}
await cleanUpEverything();
await exitWhenWritten(exitStatusAfter(status));
