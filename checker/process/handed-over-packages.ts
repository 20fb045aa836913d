import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../core/paths.ts';
import { cacheDir, hashOf, publishBuild, pruneBuilds, temporaryBuildDir } from './build-cache.ts';

/**
 * Packages a learner's program imports that its build hands over by `require` (see bundle.ts),
 * because imported as ES modules they cost time at every start of the program. Both are
 * CommonJS: imported, Node.js first scans the source of each of their modules for the names it
 * exports (for ws, about 35 ms of processor time), and loading their modules one by one costs
 * more (node-redis is some 600 modules: about a tenth of a second). So each is compiled once
 * into a single file (with a source map to its own files), per version, and required from
 * there: the same code and the same objects as from an import, in a tenth of the time for
 * node-redis and about 8 ms less for ws, at every start of every learner's program. Their
 * optional peers (ws's bufferutil) stay outside, required where the package would require them.
 */
const PACKAGES = ['ws', 'redis'];

export const HANDED_OVER = PACKAGES;

export interface HandedOver {
  /** What the program requires: the package's single-file build. */
  target: string;
  /** The names the package's ES module view exports: what `import { … } from` may take. */
  exports: string[];
}

const fromWorkbook = createRequire(path.join(projectRoot, 'package.json'));
const builds = path.join(cacheDir, 'packages');
const RECORD = 'handed-over.json';
/** Builds kept beyond those in use: a few versions of each package. */
const KEEP = 8;

/** The version of each handed-over package, for the fingerprint of builds that require them. */
export function handedOverVersions(): string {
  return HANDED_OVER.map((name) => `${name}@${packageJson(name).version}`).join(' ');
}

/** How the build hands `name` over: made (and recorded in the build cache) the first time, read from there after. */
export async function handOver(name: string): Promise<HandedOver> {
  const esbuild = await import('esbuild');
  const manifest = packageJson(name);
  const key = hashOf(name, manifest.version, process.version, esbuild.version);
  // Named from here, not recorded: a copy of the workbook (the tests') may have made the build through a link to node_modules.
  const target = path.join(builds, key, `${name}.cjs`);
  const record = path.join(builds, key, RECORD);
  if (existsSync(record)) return { target, exports: (JSON.parse(readFileSync(record, 'utf8')) as { exports: string[] }).exports };
  const temporary = temporaryBuildDir(builds);
  await esbuild.build({
    entryPoints: [fromWorkbook.resolve(name)],
    outfile: path.join(temporary, `${name}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: `node${process.versions.node}`,
    sourcemap: 'linked',
    external: [...Object.keys(manifest.peerDependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})],
    logLevel: 'silent',
  });
  // The names Node.js gives the package's ES module view, as the program would import it.
  const view = (await import(name)) as Record<string, unknown>;
  const exports = Object.keys(view).filter((key) => key !== 'default' && key !== 'module.exports');
  writeFileSync(path.join(temporary, RECORD), JSON.stringify({ exports }));
  publishBuild(temporary, builds, key);
  pruneBuilds(builds, KEEP);
  return { target, exports };
}

interface PackageJson {
  version: string;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function packageJson(name: string): PackageJson {
  return JSON.parse(readFileSync(fromWorkbook.resolve(`${name}/package.json`), 'utf8')) as PackageJson;
}
