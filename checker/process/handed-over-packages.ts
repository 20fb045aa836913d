import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../core/paths.ts';
import { cacheDir, hashOf, publishBuild, temporaryBuildDir } from './build-cache.ts';

/**
 * Packages a learner's program imports that its build hands over by `require` (see bundle.ts),
 * because imported as ES modules they cost time at every start of the program:
 * - ws is CommonJS behind a small ES module: imported, Node.js scans the source of each of its
 *   modules for the names it exports, about 35 ms of processor time;
 * - node-redis is some 600 CommonJS modules: loading them one by one takes about a tenth of a
 *   second of processor time, at every start of a lesson 17 server. It is compiled once into a
 *   single file (with a source map to its own files), per version, and required from there.
 * Either way the program gets the same code and the same objects as from an import.
 */
const PACKAGES: Record<string, { singleFile: boolean }> = {
  ws: { singleFile: false },
  redis: { singleFile: true },
};

export const HANDED_OVER = Object.keys(PACKAGES);

export interface HandedOver {
  /** What the program requires, from the workbook: the package's name, or its single-file build. */
  target: string;
  /** The names the package's ES module view exports: what `import { … } from` may take. */
  exports: string[];
}

const fromWorkbook = createRequire(path.join(projectRoot, 'package.json'));
const builds = path.join(cacheDir, 'packages');
const RECORD = 'handed-over.json';

/** The version of each handed-over package, for the fingerprint of builds that require them. */
export function handedOverVersions(): string {
  return HANDED_OVER.map((name) => `${name}@${versionOf(name)}`).join(' ');
}

/** How the build hands `name` over: made (and recorded in the build cache) the first time, read from there after. */
export async function handOver(name: string): Promise<HandedOver> {
  const esbuild = await import('esbuild');
  const key = hashOf(name, versionOf(name), process.version, esbuild.version, String(PACKAGES[name]!.singleFile));
  const record = path.join(builds, key, RECORD);
  if (existsSync(record)) return JSON.parse(readFileSync(record, 'utf8')) as HandedOver;
  const temporary = temporaryBuildDir(builds);
  let target = name;
  if (PACKAGES[name]!.singleFile) {
    await esbuild.build({
      entryPoints: [fromWorkbook.resolve(name)],
      outfile: path.join(temporary, `${name}.cjs`),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: `node${process.versions.node}`,
      sourcemap: 'linked',
      logLevel: 'silent',
    });
    target = path.join(builds, key, `${name}.cjs`);
  }
  // The names Node.js gives the package's ES module view, as the program would import it.
  const view = (await import(name)) as Record<string, unknown>;
  const exports = Object.keys(view).filter((key) => key !== 'default' && key !== 'module.exports');
  const handedOver: HandedOver = { target, exports };
  writeFileSync(path.join(temporary, RECORD), JSON.stringify(handedOver));
  publishBuild(temporary, builds, key);
  return handedOver;
}

function versionOf(name: string): string {
  return (JSON.parse(readFileSync(fromWorkbook.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}
