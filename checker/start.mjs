/**
 * How the npm scripts start the workbook's command line: `node checker/start.mjs <command> …`.
 *
 * The checker is TypeScript. Run through tsx, every start would load tsx's loader first (about
 * 0.15 s); instead it runs from a JavaScript build of checker/ and lessons/, made by esbuild
 * (checker/build.ts) into node_modules/.cache and named by a hash of every source file. Editing
 * any of them changes the hash, so the next command builds again (about half a second, once):
 * there is no build step to remember, and a build never runs stale code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const builds = path.join(root, 'node_modules', '.cache', 'websocket-workbook', 'checker');
/** What the build can be made from: the scripts (and JSON) in these folders. */
const SOURCE = /\.([cm]?[jt]sx?|json)$/;
const sources = ['checker', 'lessons'].flatMap((folder) => filesUnder(path.join(root, folder))).filter((file) => SOURCE.test(file));

const name = buildName();
const build = path.join(builds, name);
if (existsSync(build)) {
  // Marks the build as in use, so that pruning old builds leaves it alone.
  const now = new Date();
  utimesSync(build, now, now);
} else {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const { buildChecker } = await tsImport('./build.ts', import.meta.url);
    await buildChecker(builds, name, sources);
  } catch (error) {
    console.error(`The workbook's checker could not be built: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
// Stack traces of the checker's own errors name its TypeScript sources (the source maps cost time, so only when asked).
if (process.env.WORKBOOK_DEBUG) process.setSourceMapsEnabled(true);
await import(pathToFileURL(path.join(build, 'cli.mjs')).href);

/** A hash of the sources, with what else the build depends on: where it is (paths are built in), Node.js, esbuild, tsconfig.json. */
function buildName() {
  const hash = createHash('sha256');
  hash.update(`${root}\0${process.version}\0`);
  const esbuild = path.join(root, 'node_modules', 'esbuild', 'package.json');
  for (const file of [path.join(root, 'tsconfig.json'), esbuild, ...sources]) hash.update(`${file}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 32);
}

function filesUnder(folder) {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
