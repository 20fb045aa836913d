import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProgramSource } from './program.ts';

/**
 * Which packages a learner's program imports, read from its source the way a bundler reads it
 * (esbuild follows its relative imports into the learner's other files; comments and strings
 * that merely mention a package do not count), for lessons that forbid a library.
 */
export async function packagesImportedBy(file: string): Promise<Set<string>> {
  const esbuild = await import('esbuild');
  const { metafile } = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
  });
  const packages = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) if (imported.external) packages.add(packageOf(imported.path));
  }
  return packages;
}

/** The package an import names: `ws/lib/sender.js` is ws, `@scope/name/x` is @scope/name. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const SCRIPT = /\.[cm]?[jt]sx?$/;

/**
 * The program's own script files: the file it is, or those a command names (`npx tsx
 * server.ts`, `node server.mjs`) that exist, relative to the folder it runs in. None for a
 * program in another language.
 */
export function scriptFilesOf(source: ProgramSource, cwd: string): string[] {
  if (source.kind === 'file') return [path.resolve(source.file)];
  return source.command
    .split(/\s+/)
    .map((word) => word.replace(/^['"]|['"]$/g, ''))
    .filter((word) => SCRIPT.test(word))
    .map((word) => path.resolve(cwd, word))
    .filter((file) => existsSync(file));
}
