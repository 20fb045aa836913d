import { rmSync } from 'node:fs';
import path from 'node:path';
import { displayPath, projectRoot } from './core/paths.ts';
import { publishBuild, pruneBuilds, temporaryBuildDir } from './process/build-cache.ts';
import { bundle } from './process/bundle.ts';

/** Checker builds kept besides the current one: other copies of the workbook (the tests make some) have their own. */
const KEEP = 8;

/**
 * Builds the checker itself for checker/start.mjs: cli.ts with every command and every lesson's
 * lesson.ts (lessons.ts imports them by a pattern, so esbuild finds them all), as JavaScript in
 * `builds/name`. `name` is the hash start.mjs made of `sources`, the files it saw; a build made
 * from any other file would not be remade when that file changes, so that is refused.
 */
export async function buildChecker(builds: string, name: string, sources: string[]): Promise<void> {
  const outdir = temporaryBuildDir(builds);
  try {
    const { inputs } = await bundle({
      entryPoints: [path.join(projectRoot, 'checker', 'cli.ts')],
      outdir,
      tsconfig: path.join(projectRoot, 'tsconfig.json'),
    });
    const unseen = Object.keys(inputs).filter((file) => !sources.includes(file));
    if (unseen.length > 0) {
      throw new Error(
        `The checker imports ${unseen.map(displayPath).join(', ')}, which checker/start.mjs does not watch for changes; keep the checker's code in checker/ and lessons/.`,
      );
    }
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  publishBuild(outdir, builds, name);
  pruneBuilds(builds, KEEP);
}
