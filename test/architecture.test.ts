import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../checker/core/paths.ts';

/**
 * The shape of checker/: folders are layers, and a module imports only from its own layer or
 * lower ones, so that nothing below knows about what is built on it. No module imports itself
 * back through others, dynamic imports included.
 */
const LAYERS = [
  ['core', 'terminal'],
  ['process'],
  ['peers'],
  ['running'],
  ['checks'],
  ['demos'],
  ['reporters'],
  ['commands'],
  ['.'], // cli.ts, lesson-api.ts, and build.ts (the checker's own build, for start.mjs)
];

const checkerDir = path.join(projectRoot, 'checker');
const modules = readdirSync(checkerDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => path.join('checker', file));

function layerOf(module: string): number {
  const folder = path.relative('checker', path.dirname(module)).split(path.sep)[0] || '.';
  const layer = LAYERS.findIndex((folders) => folders.includes(folder));
  if (layer < 0) throw new Error(`${module}: checker/${folder}/ is not a known layer; add it to LAYERS`);
  return layer;
}

/** The checker modules a module imports, statically or dynamically. */
function importsOf(module: string): string[] {
  const source = readFileSync(path.join(projectRoot, module), 'utf8');
  const statics = source.matchAll(/^\s*(?:import|export)\b[^;'(]*?'(\.{1,2}\/[^']+)'/gm);
  const dynamics = source.matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g);
  return [...statics, ...dynamics].map((match) => path.join(path.dirname(module), match[1]!));
}

const graph = new Map(modules.map((module) => [module, importsOf(module)]));

describe('checker/ layers', () => {
  it('every module imports only from its own layer or lower ones', () => {
    const upward = modules.flatMap((module) =>
      graph
        .get(module)!
        .filter((target) => target.startsWith('checker') && layerOf(target) > layerOf(module))
        .map((target) => `${module} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (module: string, trail: string[]) => {
      if (state.get(module) === 'done') return;
      if (state.get(module) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(module)), module].join(' -> '));
        return;
      }
      state.set(module, 'visiting');
      for (const target of graph.get(module) ?? []) visit(target, [...trail, module]);
      state.set(module, 'done');
    };
    for (const module of modules) visit(module, []);
    expect(cycles).toEqual([]);
  });
});
