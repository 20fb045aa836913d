import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cacheDir, hashOf, publishBuild, pruneBuilds, temporaryBuildDir, touch } from './build-cache.ts';
import { projectRoot } from '../core/paths.ts';
import { bundle } from './bundle.ts';
import { handedOverVersions } from './handed-over-packages.ts';

/**
 * A learner's TypeScript program, compiled ahead (DESIGN rule 1) so that it starts with plain
 * `node --enable-source-maps` and behaves as it would under tsx (see bundle.ts). The build is
 * cached: a second check of unchanged files compiles nothing, and a change to any file the
 * program is built from (its imports too) makes a new build.
 */
export interface CompiledProgram {
  kind: 'compiled';
  /** The learner's file. */
  file: string;
  /** The JavaScript to run. */
  script: string;
}

/** The builds, each in a folder named by a hash of its inputs. */
const builds = path.join(cacheDir, 'programs');
/** For each program file, its latest build and the hashes of the inputs it was made from. */
const manifests = path.join(cacheDir, 'program-manifests');
/** Builds kept beyond those in use: a learner's recent versions, the solutions, the tests' programs. */
const KEEP = 200;

interface Manifest {
  fingerprint: string;
  build: string;
  inputs: Record<string, string>;
}

/** Compiles going on in this checker, so that two starts of one program share one compile. */
const compiling = new Map<string, Promise<CompiledProgram>>();

/** Compiles `file`, or finds it compiled already. Rejects with a CompileError when it does not compile. */
export function compileProgram(file: string): Promise<CompiledProgram> {
  const absolute = path.resolve(file);
  const built = findBuild(absolute);
  if (built) return Promise.resolve(built);
  let pending = compiling.get(absolute);
  if (!pending) {
    pending = compile(absolute).finally(() => compiling.delete(absolute));
    compiling.set(absolute, pending);
  }
  return pending;
}

/**
 * Loads the compiler and starts its service ahead (about 50 ms), for a checker that is about to
 * compile: in watch mode, the next save.
 */
export async function warmUpCompiler(): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.transform('');
}

/** The build of `file` whose inputs all still have the content it was made from, if there is one. */
function findBuild(file: string): CompiledProgram | undefined {
  const manifestFile = manifestFor(file);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.fingerprint !== fingerprint()) return undefined;
  for (const [input, hash] of Object.entries(manifest.inputs)) {
    if (hashOfFile(input) !== hash) return undefined;
  }
  const build = path.join(builds, manifest.build);
  const script = path.join(build, scriptName(file));
  if (!existsSync(script)) return undefined;
  touch(build);
  touch(manifestFile);
  return { kind: 'compiled', file, script };
}

async function compile(file: string): Promise<CompiledProgram> {
  const tsconfig = nearestTsconfig(path.dirname(file));
  const tsconfigHash = tsconfig && hashOfFile(tsconfig);
  const outdir = temporaryBuildDir(builds);
  let inputs: Record<string, string>;
  try {
    // Under tsx, process.argv[1] is the program's own file; programs may test it ("am I the main module?").
    ({ inputs } = await bundle({ entryPoints: [file], outdir, tsconfig, banner: `process.argv[1] = ${JSON.stringify(file)};` }));
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  if (tsconfig && tsconfigHash) inputs[tsconfig] = tsconfigHash;
  const name = hashOf(fingerprint(), file, ...Object.entries(inputs).sort().flat());
  const build = publishBuild(outdir, builds, name);
  writeManifest(file, { fingerprint: fingerprint(), build: name, inputs });
  pruneBuilds(builds, KEEP);
  pruneBuilds(manifests, KEEP);
  return { kind: 'compiled', file, script: path.join(build, scriptName(file)) };
}

function writeManifest(file: string, manifest: Manifest): void {
  mkdirSync(manifests, { recursive: true });
  const target = manifestFor(file);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(manifest));
  renameSync(temporary, target);
}

function manifestFor(file: string): string {
  return path.join(manifests, `${hashOf(file)}.json`);
}

/** esbuild names the output after the entry point: server.ts becomes server.mjs. */
function scriptName(file: string): string {
  return `${path.basename(file, path.extname(file))}.mjs`;
}

function hashOfFile(file: string): string | undefined {
  try {
    return hashOf(readFileSync(file));
  } catch {
    return undefined;
  }
}

/** The tsconfig.json tsx would use for a program run from `folder`: the nearest one up the tree. */
function nearestTsconfig(folder: string): string | undefined {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

let cachedFingerprint: string | undefined;

/**
 * What a build depends on besides its inputs: the workbook it is for, the Node.js it targets,
 * esbuild's version, how it is compiled (this file and those it uses, so that a change to them
 * is never served old builds), and the versions of the packages it requires.
 */
function fingerprint(): string {
  const own = (file: string) => readFileSync(new URL(file, import.meta.url));
  cachedFingerprint ??= [
    // A build names files of its workbook's (the packages' builds), and copies of the workbook (the tests') share one cache.
    projectRoot,
    process.version,
    (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')) as { version: string }).version,
    hashOf(own('./compile.ts'), own('./bundle.ts'), own('./handed-over-packages.ts')),
    handedOverVersions(),
  ].join(' ');
  return cachedFingerprint;
}
