import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildFailure, Loader, Message, Plugin } from 'esbuild';
import { displayPath, projectRoot } from '../core/paths.ts';
import { hashOf } from './build-cache.ts';
import { characterColumn, codeFrame } from './code-frame.ts';
import { HANDED_OVER, handOver } from './handed-over-packages.ts';

/**
 * Compiles TypeScript with esbuild into JavaScript that plain `node` runs (no loader thread at
 * every start), keeping what running the source under tsx gives a program:
 * - `import.meta.url`, `.dirname` and `.filename` name each module's own source file, not the
 *   build (a server finds the files beside its source: lesson 08 serves public/ next to it);
 * - relative imports (`./util.ts`, `./util.js`, `./util`) are compiled in; packages (`ws`)
 *   stay imports, resolved when the program runs from the build's place in node_modules/, so
 *   from the workbook's own packages (ws and redis are required instead: handed-over-packages.ts);
 * - a linked source map, so that with `--enable-source-maps` a stack trace names the source
 *   file and line.
 * (`import.meta.resolve` is left as it is: it resolves packages alike, relative paths from the build.)
 */
export interface BundleRequest {
  entryPoints: string[];
  /** An empty folder to write the build into: one .mjs per entry point (named after it), shared chunks, source maps. */
  outdir: string;
  /** The tsconfig.json whose compiler options apply, as tsx takes the one nearest the program. */
  tsconfig?: string;
  /** JavaScript that runs first in each output file. */
  banner?: string;
}

export interface Bundle {
  /** Every file the build was made from, with a hash of exactly the content that was compiled. */
  inputs: Record<string, string>;
}

/** The program cannot be compiled: each problem as a code frame (see code-frame.ts). */
export class CompileError extends Error {
  override name = 'CompileError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** The name each module's own `import.meta` values are imported under (see ownImportMeta). */
const META = '__workbook_import_meta__';
const META_NAMESPACE = 'workbook-import-meta';
const SCRIPT = /\.([cm]?)([jt]sx?)$/;
const USES_IMPORT_META = /\bimport\s*\.\s*meta\b/;
/** Problems shown at most; a syntax error stops esbuild at the first one in a file anyway. */
const MAX_PROBLEMS = 5;
const REQUIRE_NAMESPACE = 'workbook-require';

export async function bundle(request: BundleRequest): Promise<Bundle> {
  const esbuild = await import('esbuild');
  const inputs: Record<string, string> = {};
  try {
    await esbuild.build({
      entryPoints: request.entryPoints,
      outdir: request.outdir,
      absWorkingDir: projectRoot,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node}`,
      packages: 'external',
      sourcemap: 'linked',
      outExtension: { '.js': '.mjs' },
      entryNames: '[name]',
      chunkNames: 'chunk-[hash]',
      tsconfig: request.tsconfig,
      banner: request.banner ? { js: request.banner } : undefined,
      define: Object.fromEntries(['url', 'dirname', 'filename'].map((key) => [`import.meta.${key}`, `${META}.${key}`])),
      plugins: [recordInputs(inputs), ownImportMeta(), requiredPackages()],
      logLevel: 'silent',
    });
  } catch (error) {
    if (isBuildFailure(error)) throw new CompileError(describeProblems(error.errors));
    throw error;
  }
  return { inputs };
}

/**
 * Loads every source file itself, so that the hash recorded for it is of the very content
 * compiled (a file saved again during the build must not pass for built), and gives each module
 * that uses `import.meta` its own values: an import of a small generated module, appended after
 * the last line (imports are hoisted, and the lines before keep their numbers), which the
 * `define` above points `import.meta.url` and the others at.
 */
function recordInputs(inputs: Record<string, string>): Plugin {
  return {
    name: 'workbook-sources',
    setup(build) {
      build.onLoad({ filter: /.*/, namespace: 'file' }, async ({ path: file }) => {
        const bytes = await readFile(file);
        inputs[file] = hashOf(bytes);
        const script = SCRIPT.exec(file);
        if (!script) return { contents: bytes, loader: 'default' };
        const source = bytes.toString('utf8');
        const loader = script[2] as Loader;
        if (!USES_IMPORT_META.test(source)) return { contents: source, loader };
        return { contents: `${source}\n;import * as ${META} from ${JSON.stringify(`${META_NAMESPACE}:${file}`)};\n`, loader };
      });
    },
  };
}

function ownImportMeta(): Plugin {
  return {
    name: 'workbook-import-meta',
    setup(build) {
      const prefix = `${META_NAMESPACE}:`;
      build.onResolve({ filter: new RegExp(`^${prefix}`) }, (args) => ({
        path: args.path.slice(prefix.length),
        namespace: META_NAMESPACE,
        sideEffects: false,
      }));
      build.onLoad({ filter: /.*/, namespace: META_NAMESPACE }, ({ path: file }) => ({
        contents: [
          `export const url = ${JSON.stringify(pathToFileURL(file).href)};`,
          `export const filename = ${JSON.stringify(file)};`,
          `export const dirname = ${JSON.stringify(path.dirname(file))};`,
        ].join('\n'),
        loader: 'js',
      }));
    },
  };
}

/**
 * An import of a package handed over by `require` (handed-over-packages.ts) becomes a small
 * module that requires it from the workbook, as the other packages are imported from there,
 * and exports what the package's ES module view exports, and no more: importing another name
 * fails to compile, as it fails to link under tsx.
 */
function requiredPackages(): Plugin {
  const filter = new RegExp(`^(${HANDED_OVER.join('|')})$`);
  const workbook = pathToFileURL(path.join(projectRoot, 'package.json')).href;
  return {
    name: 'workbook-required-packages',
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.kind === 'import-statement' || args.kind === 'dynamic-import' ? { path: args.path, namespace: REQUIRE_NAMESPACE, sideEffects: false } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: REQUIRE_NAMESPACE }, async ({ path: name }) => {
        const { target, exports } = await handOver(name);
        return {
          contents: [
            "import { createRequire } from 'node:module';",
            `const required = createRequire(${JSON.stringify(workbook)})(${JSON.stringify(target)});`,
            'export default required;',
            `export const { ${exports.join(', ')} } = required;`,
          ].join('\n'),
          loader: 'js',
        };
      });
    },
  };
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

function describeProblems(messages: Message[]): string[] {
  const shown = messages.slice(0, MAX_PROBLEMS).map(describeProblem);
  const left = messages.length - shown.length;
  return left > 0 ? [...shown, `(and ${left} more)`] : shown;
}

function describeProblem(message: Message): string {
  const { location } = message;
  // A package required through requiredPackages is named as the learner imported it.
  const text = message.text.replaceAll(`"${REQUIRE_NAMESPACE}:`, '"');
  if (!location) return text;
  const file = displayPath(path.resolve(projectRoot, location.file));
  return codeFrame({ file, line: location.line, column: characterColumn(location.lineText, location.column), lineText: location.lineText }, text);
}
