// Contracts by name: the host's packing of every shader family's Params matches the struct in the WGSL
// text (names, order, u32 before f32), and the loss kernel's column constants match TOKEN_DATA/TOKEN_STATS.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOKEN_DATA, TOKEN_STATS } from '../../../src/backend/backend';
import { PARAMS, packParams } from '../../../src/backend/webgpu/params';

const wgsl = (family: string) => readFileSync(new URL(`../../../shaders/${family}.wgsl`, import.meta.url), 'utf8');

/** The fields of `struct Params { ... }` in a WGSL text, comments stripped. */
function paramsStruct(text: string): { name: string; type: string }[] {
  const body = text.replace(/\/\/[^\n]*/g, '').match(/struct\s+Params\s*\{([^}]*)\}/)?.[1];
  if (body === undefined) throw new Error('no struct Params');
  return body.split(',').map((f) => f.trim()).filter(Boolean).map((f) => {
    const [name, type] = f.split(':').map((x) => x.trim());
    return { name, type };
  });
}

/** `const NAME: u32 = 3u;` constants of a WGSL text. */
function u32Consts(text: string): Record<string, number> {
  return Object.fromEntries([...text.matchAll(/const\s+(\w+)\s*:\s*u32\s*=\s*(\d+)u\s*;/g)].map((m) => [m[1], Number(m[2])]));
}

describe('named layouts', () => {
  for (const [family, layout] of Object.entries(PARAMS)) {
    it(`${family}: the host packs Params in the shader's struct order`, () => {
      const fields = paramsStruct(wgsl(family));
      expect(fields.map((f) => f.name)).toEqual([...layout.u32, ...layout.f32]);
      expect(fields.map((f) => f.type)).toEqual([...layout.u32.map(() => 'u32'), ...layout.f32.map(() => 'f32')]);
    });
  }

  it('packs by name, zero-fills fields a kernel leaves out, and refuses an unknown name', () => {
    expect(packParams('loss', { V: 7, N: 3, gamma: 0.5 }, 'test')).toEqual({ u32s: [3, 7], f32s: [0, 0, 0, 0.5] });
    expect(() => packParams('loss', { N: 1, Vocab: 2 }, 'test')).toThrow(/no field Vocab/);
  });

  it('the loss kernel reads tokenData and stats by the columns the host declares', () => {
    const c = u32Consts(wgsl('loss'));
    expect({ advantage: c.TD_ADVANTAGE, weight: c.TD_WEIGHT, mode: c.TD_MODE, columns: c.TD_COLUMNS }).toEqual(TOKEN_DATA);
    expect({ logp: c.ST_LOGP, entropy: c.ST_ENTROPY, k3: c.ST_K3, clipCode: c.ST_CLIP_CODE, columns: c.ST_COLUMNS }).toEqual(TOKEN_STATS);
    expect(wgsl('loss')).not.toMatch(/(tokenData|stats)\[n \* \d/); // no column read by a bare number
  });
});
