import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { trackCloser } from '../process/cleanup.ts';
import { colors as pc } from '../terminal/colors.ts';
import { formatReport, runChecks, type CheckRequest } from './run-checks.ts';
import { nextHint } from './hint.ts';
import { describeError } from '../core/errors.ts';
import { listLessons, loadLesson, type Lesson } from '../running/lessons.ts';
import { displayPath } from '../core/paths.ts';
import { warmUpCompiler } from '../process/compile.ts';
import type { Status } from '../running/results.ts';
import { isInteractive } from '../terminal/interactive.ts';

/** Changes closer together than this are one save: editors write a file in several steps. */
const DEBOUNCE_MS = 30;
/**
 * How often the folder's contents are compared as well, for file systems whose change events
 * get lost (network drives, some containers and virtual machines).
 */
const POLL_MS = 500;
/** Files above this size are compared by size and time instead of content. */
const HASHED_BYTES = 1_000_000;

/**
 * `npm run check -- 3 --watch`: checks lesson 3, then again whenever its exercise folder
 * changes, until the learner quits: q or Ctrl-C in a terminal, SIGINT or SIGTERM otherwise
 * (cli.ts's cleanup stops everything then). Resolves with the exit status.
 */
export function watchLesson(request: CheckRequest): Promise<number> {
  return new Watch(request).start();
}

class Watch {
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private running = false;
  /** A change arrived during a check: check once more when it ends. */
  private again = false;
  /** The folder's contents when the latest check began; a change back to them needs no check. */
  private checkedSignature: string | undefined;
  private lastStatus: Status | undefined;
  private runs = 0;
  private closed = false;
  private readonly keys = isInteractive();
  private finish: (status: number) => void = () => {};
  private untrack: () => void = () => {};

  constructor(private request: CheckRequest) {}

  private get lesson(): Lesson {
    return this.request.lessons[0]!;
  }

  /** The folder that holds the file being checked (the exercise, or the solution with --solutions). */
  private get folder(): string {
    const source = this.request.sourceFor(this.lesson);
    return source.kind === 'file' ? path.dirname(source.file) : this.lesson.exerciseDir;
  }

  start(): Promise<number> {
    const finished = new Promise<number>((resolve) => (this.finish = resolve));
    this.untrack = trackCloser(() => this.close());
    if (this.keys) this.listenToKeys();
    this.watchFolder();
    // Every save changes the file, so every check after the first compiles it.
    void this.check(true).then(() => warmUpCompiler().catch(() => {}));
    return finished.finally(() => this.close());
  }

  private watchFolder(): void {
    const folder = this.folder;
    this.watcher = watch(folder, { ignoreInitial: true, ignored: (file) => isIgnored(path.basename(file)) });
    this.watcher.on('all', () => this.changed());
    // Lost events are what the comparison below is for; an error here must not stop the watch.
    this.watcher.on('error', () => {});
    this.poller = setInterval(() => {
      if (!this.running && !this.debounce && signature(folder) !== this.checkedSignature) this.changed();
    }, POLL_MS);
  }

  private async unwatchFolder(): Promise<void> {
    clearInterval(this.poller);
    await this.watcher?.close();
  }

  /** A save (or any change in the folder): check soon, or once more after the check that is running. */
  private changed(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.check(), DEBOUNCE_MS);
  }

  /** Checks the lesson (unless the folder is as it was at the last check), `intro` above the verdict. */
  private async check(force = false, intro?: string): Promise<void> {
    clearTimeout(this.debounce);
    this.debounce = undefined;
    const contents = signature(this.folder);
    if (this.closed || this.running || (!force && contents === this.checkedSignature)) return;
    this.checkedSignature = contents;
    this.running = true;
    this.again = false;
    // Clears a terminal only: piped output keeps every verdict, one after another.
    console.clear();
    if (this.runs++ > 0 && !process.stdout.isTTY) console.log('');
    if (intro) console.log(intro);
    console.log(pc.bold(`Checking lesson ${Number(this.lesson.id)} · ${this.lesson.title}…`));
    try {
      const report = await runChecks(this.request);
      if (this.closed) return;
      this.lastStatus = report.lessons[0]?.status;
      console.log(formatReport(this.request, report));
    } catch (error) {
      console.log(pc.red(`The check could not run: ${describeError(error)}`));
    } finally {
      this.running = false;
    }
    if (this.closed) return;
    console.log(`\n${this.keysLine()}`);
    if (this.again) this.changed();
  }

  private keysLine(): string {
    const where = `Watching ${displayPath(this.folder)}/ for changes.`;
    if (!this.keys) return pc.dim(where);
    if (this.lastStatus === 'passed') {
      return `${pc.green('Well done!')} Keys: ${pc.bold('c')} compare with the solution · ${pc.bold('n')} next lesson · ${pc.bold('h')} hint · ${pc.bold('r')} check again · ${pc.bold('q')} quit`;
    }
    return `${pc.dim(`${where} Save to check again.`)} Keys: ${pc.bold('h')} hint · ${pc.bold('r')} check again · ${pc.bold('n')} next lesson · ${pc.bold('q')} quit`;
  }

  private listenToKeys(): void {
    process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', this.onKey);
    process.stdin.resume();
  }

  private readonly onKey = (key: string): void => {
    switch (key.toLowerCase()) {
      case 'q':
        this.finish(0);
        return;
      case '\u0003':
        // Ctrl-C arrives as a key in raw mode, not as SIGINT.
        this.finish(130);
        return;
      case 'h':
        console.log(`\n${nextHint(this.lesson.folder, this.lesson.definition.hints, Number(this.lesson.id))}\n`);
        return;
      case 'r':
      case '\r':
        void this.check(true);
        return;
      case 'c':
        void this.compare();
        return;
      case 'n':
        void this.nextLesson();
        return;
    }
  };

  private async compare(): Promise<void> {
    const n = Number(this.lesson.id);
    if (this.lastStatus !== 'passed') {
      console.log(
        pc.dim(`\nThe comparison opens here once lesson ${n} passes. Stuck? h shows a hint (and \`npm run compare -- ${n}\` shows the solution now).\n`),
      );
      return;
    }
    const { compareWithSolution } = await import('./compare.ts');
    console.log(`\n${compareWithSolution(this.lesson)}\n`);
  }

  private async nextLesson(): Promise<void> {
    if (this.running) return;
    const lessons = listLessons();
    const next = lessons[lessons.findIndex((lesson) => lesson.folder === this.lesson.folder) + 1];
    if (!next) {
      console.log(pc.green('\nThat was the last lesson. Well done!\n'));
      return;
    }
    const lesson = await loadLesson(next);
    await this.unwatchFolder();
    if (this.closed) return;
    this.request = { ...this.request, lessons: [lesson] };
    this.watchFolder();
    const n = Number(lesson.id);
    await this.check(true, pc.dim(`On to lesson ${n}: read it with \`npm run lesson ${n}\` and work in ${displayPath(this.folder)}/.`));
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.untrack();
    clearTimeout(this.debounce);
    if (this.keys) {
      process.stdin.off('data', this.onKey);
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
    await this.unwatchFolder();
  }
}

/** What in an exercise folder is not the learner's work: dependencies, hidden files, logs. */
function isIgnored(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.') || name.endsWith('.log');
}

/** The folder's files and their contents as one hash: equal hashes, nothing new to check. */
function signature(folder: string): string {
  const hash = createHash('sha1');
  const visit = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (isIgnored(name)) continue;
      const file = path.join(dir, name);
      try {
        const stat = statSync(file);
        if (stat.isDirectory()) visit(file);
        else hash.update(`${file}\0${stat.size > HASHED_BYTES ? `${stat.size}:${stat.mtimeMs}` : readFileSync(file, 'latin1')}\0`);
      } catch {
        // Removed while we looked: the next change event or comparison sees the new state.
      }
    }
  };
  visit(folder);
  return hash.digest('hex');
}
