// The page bundle carries the page, not the engine: the lab's main chunk (the worker is its own chunk) holds
// no task generator, RNG, sampler, model or backend code. Checked on a real production build, from the
// source map's list of modules that contributed code.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'misstep-bundle-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const ENGINE = [
  /^src\/backend\//, /^src\/tasks\/(addition|chain|split|inject|trace|hint|task|index)\.ts$/, /^src\/rl\/(rollout|grpo|update|sequences)\.ts$/,
  /^src\/model\/(gpt|decode|layout|checkpoint)\.ts$/, /^src\/run\/(trainer|loop|evaluate|stepMetrics|pretrain)\.ts$/,
];

describe('page bundle', () => {
  it('holds none of the engine modules', async () => {
    await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: true } });
    const assets = join(outDir, 'assets');
    const map = readdirSync(assets).find((f) => /^index-.*\.js\.map$/.test(f));
    expect(map, 'the page chunk and its source map').toBeDefined();
    const sources: string[] = JSON.parse(readFileSync(join(assets, map!), 'utf8')).sources;
    const ours = sources.map((s) => s.split('\\').join('/')).filter((s) => !s.includes('node_modules')).map((s) => s.slice(s.lastIndexOf('src/')));
    expect(ours.length).toBeGreaterThan(10); // the page's own modules are there: the check sees real paths
    expect(ours.filter((s) => ENGINE.some((re) => re.test(s)))).toEqual([]);
  }, 120_000);
});
