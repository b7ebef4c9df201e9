// npm runs a script named pre<name> / post<name> around <name>: a script so named by accident runs when
// nobody asked for it (a `pretrain` script once retrained every shipped checkpoint before each `npm run train`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './npmRun';

/** The scripts that are meant as hooks, and what they run before. */
const INTENDED_HOOKS = ['pretest', 'prestart'];

/** Scripts whose name is pre/post + another script's name, i.e. the hooks npm will run. */
export function hooksIn(scripts: Record<string, string>): string[] {
  const names = Object.keys(scripts);
  return names.filter((n) => ['pre', 'post'].some((p) => n.startsWith(p) && names.includes(n.slice(p.length))));
}

describe('package.json scripts', () => {
  const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

  it('finds hooks the way npm does', () => {
    expect(hooksIn({ train: 'a', pretrain: 'b', posttrain: 'c', preview: 'd', test: 'e' })).toEqual(['pretrain', 'posttrain']);
  });

  it('has no pre/post hook other than the intended ones', () => {
    expect(hooksIn(scripts).filter((n) => !INTENDED_HOOKS.includes(n))).toEqual([]);
    for (const hook of INTENDED_HOOKS) expect(hooksIn(scripts), `${hook} is still a hook`).toContain(hook);
  });
});
