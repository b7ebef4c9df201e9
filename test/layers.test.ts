// Layers that point one way: every import in src/ (static, type-only, re-export or dynamic) goes to the
// importer's own layer or a lower one, in the order docs/architecture.md writes down. Peers on one line
// (ui and cli) do not import one another.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The layer lines of docs/architecture.md's "Layers" code block, top first: each a list of peers. */
export function layerOrder(doc: string): string[][] {
  const section = doc.split(/^## /m).find((s) => s.startsWith('Layers'));
  if (!section) throw new Error('docs/architecture.md has no "## Layers" section');
  const block = section.split('```')[1] ?? '';
  return block.split('\n')
    .map((line) => (line.match(/^(src\/[\w./]+(?:, src\/[\w./]+)*)/)?.[1] ?? '').split(', ').filter(Boolean))
    .filter((peers) => peers.length > 0);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative specifiers of every import, export-from and dynamic import in a source text. */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const patterns = [/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gms, /^\s*import\s+['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs.filter((s) => s.startsWith('.'));
}

describe('layers', () => {
  const layers = layerOrder(readFileSync(join(root, 'docs/architecture.md'), 'utf8'));
  // rank 0 is the top line; a file's layer is the longest listed prefix of its path
  const ranked = layers.flatMap((peers, rank) => peers.map((prefix) => ({ prefix, rank })));
  const layerOf = (file: string) => {
    const rel = relative(root, file).split('\\').join('/');
    return ranked.filter((l) => rel === l.prefix || rel.startsWith(l.prefix.endsWith('/') ? l.prefix : `${l.prefix}/`))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0];
  };

  it('are written down in docs/architecture.md, bottom layer src/backend/', () => {
    expect(layers.length).toBeGreaterThan(5);
    expect(layers[layers.length - 1]).toEqual(['src/backend/']);
  });

  const files = sourceFiles(join(root, 'src'));

  it('cover every source file', () => {
    const orphans = files.filter((f) => !layerOf(f)).map((f) => relative(root, f));
    expect(orphans).toEqual([]);
  });

  it('are never crossed upward or sideways', () => {
    const bad: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), spec.replace(/\?raw$/, ''));
        if (!target.startsWith(join(root, 'src'))) continue; // shaders/, node_modules
        const to = layerOf(target);
        if (!to || !from) continue;
        const upward = to.rank < from.rank;
        const sideways = to.rank === from.rank && to.prefix !== from.prefix;
        if (upward || sideways) bad.push(`${relative(root, file)} imports ${spec} (${from.prefix} -> ${to.prefix})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('hold no import cycle between files (type-only imports included)', () => {
    const exts = ['', '.ts', '.tsx', '/index.ts', '.mjs'];
    const resolveFile = (from: string, spec: string) => {
      const base = resolve(dirname(from), spec);
      return exts.map((e) => base + e).find((p) => files.includes(p));
    };
    const edges = new Map(files.map((f) => [f, importsOf(readFileSync(f, 'utf8')).map((s) => resolveFile(f, s)).filter((x): x is string => !!x)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      state.set(f, 'open');
      for (const g of edges.get(f) ?? []) {
        if (state.get(g) === 'open') cycles.push([...path.slice(path.indexOf(g)), g].map((p) => relative(root, p)).join(' -> '));
        else if (!state.has(g)) visit(g, [...path, g]);
      }
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f, [f]);
    expect(cycles).toEqual([]);
  });

  it('catch an upward import (the checker itself)', () => {
    expect(importsOf("import type { X } from '../../run/records';\nexport { y } from './y';\nawait import('../z');")).toEqual(['../../run/records', './y', '../z']);
    expect(layerOrder('## Layers\n```\nsrc/ui/, src/cli/   top\nsrc/backend/   bottom\n```\n')).toEqual([['src/ui/', 'src/cli/'], ['src/backend/']]);
  });
});
