import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/backend/rng';
import { attentionForward } from '../../../../src/backend/cpu/ops/attention';
import { ropeBackward, ropeForward } from '../../../../src/backend/cpu/ops/rope';
import { ROPE_THETA, ropeTable } from '../../../../src/model/rope';
import { F32_VS_F64, F32_VS_FINITE_DIFF, dotSum, expectClose, expectNonTrivial, finiteDiffGradient } from '../helpers/check';
import { f64, randomF32 } from '../helpers/random';

const B = 2, T = 5, C = 12, NH = 3, hs = C / NH, maxT = 16;
const table = ropeTable(maxT, hs);

/** The definition in float64, angles from the formula (not the table): pairs (2i, 2i+1) of every head of q and k. */
function naiveRope(qkv: ArrayLike<number>, pos0: number): Float64Array {
  const out = Float64Array.from(qkv);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let part = 0; part < 2; part++) for (let h = 0; h < NH; h++) {
    for (let i = 0; i < hs / 2; i++) {
      const angle = (pos0 + t) * ROPE_THETA ** (-(2 * i) / hs);
      const x = (b * T + t) * 3 * C + part * C + h * hs + 2 * i;
      const [x0, x1] = [qkv[x], qkv[x + 1]];
      out[x] = x0 * Math.cos(angle) - x1 * Math.sin(angle);
      out[x + 1] = x0 * Math.sin(angle) + x1 * Math.cos(angle);
    }
  }
  return out;
}

describe('ropeTable', () => {
  it('holds [cos, sin] of pos * 10000^(-2i/hs), position 0 the identity', () => {
    expect(table.length).toBe(maxT * hs);
    expect(Array.from(table.subarray(0, hs))).toEqual([1, 0, 1, 0]); // hs 4: two pairs
    expect(table[(3 * (hs / 2) + 1) * 2]).toBe(Math.fround(Math.cos(3 * 10000 ** (-2 / hs))));
    expect(table[(3 * (hs / 2) + 1) * 2 + 1]).toBe(Math.fround(Math.sin(3 * 10000 ** (-2 / hs))));
    expect(() => ropeTable(4, 3)).toThrow(/even/);
  });
});

describe('ropeForward', () => {
  for (const pos0 of [0, 7]) {
    it(`matches the definition on q and k and leaves v untouched (pos0 ${pos0})`, () => {
      const qkv = randomF32(new Rng(1 + pos0), B * T * 3 * C);
      const ref = naiveRope(qkv, pos0);
      const out = qkv.slice();
      ropeForward(out, table, B, T, C, NH, pos0);
      expectClose(out, ref, F32_VS_F64, 'qkv');
      for (let n = 0; n < B * T; n++) {
        const v = n * 3 * C + 2 * C;
        expect(Array.from(out.subarray(v, v + C))).toEqual(Array.from(qkv.subarray(v, v + C)));
      }
      expect(out.some((x, i) => Math.abs(x - qkv[i]) > 1e-2)).toBe(true); // it did rotate something
    });
  }

  it('one position at pos0 = t equals row t of the whole sequence (the decode step)', () => {
    const qkv = randomF32(new Rng(3), T * 3 * C);
    const full = qkv.slice();
    ropeForward(full, table, 1, T, C, NH, 0);
    for (let t = 0; t < T; t++) {
      const row = qkv.slice(t * 3 * C, (t + 1) * 3 * C);
      ropeForward(row, table, 1, 1, C, NH, t);
      expect(Array.from(row)).toEqual(Array.from(full.subarray(t * 3 * C, (t + 1) * 3 * C)));
    }
  });

  it('attention after rope depends only on relative positions: shifting every position by k changes nothing', () => {
    const qkv = randomF32(new Rng(4), B * T * 3 * C);
    const attend = (pos0: number) => {
      const x = qkv.slice();
      ropeForward(x, table, B, T, C, NH, pos0);
      const out = new Float32Array(B * T * C);
      attentionForward(out, new Float32Array(B * NH * T * T), x, B, T, C, NH);
      return { out, x };
    };
    const at0 = attend(0);
    const at9 = attend(9);
    expectClose(at9.out, at0.out, { rtol: 1e-4, atol: 1e-5 }, 'attention output shifted by 9');
    // ... while the rotated q and k themselves did move (the invariance is not a no-op)
    expect(at9.x.some((x, i) => Math.abs(x - at0.x[i]) > 1e-2)).toBe(true);
  });

  it('refuses an odd head size and positions beyond the table', () => {
    expect(() => ropeForward(new Float32Array(3 * 6), ropeTable(4, 2), 1, 1, 6, 2, 0)).toThrow(/odd/);
    expect(() => ropeForward(new Float32Array(B * T * 3 * C), table, B, T, C, NH, maxT - T + 1)).toThrow(/exceed .* rope table/);
    expect(() => ropeForward(new Float32Array(B * T * 3 * C), table, B, T, C, 5, 0)).toThrow(/multiple of NH/);
  });
});

describe('ropeBackward', () => {
  it('is the gradient of sum(dout * rope(qkv)) by finite differences, in place', () => {
    const rng = new Rng(5);
    const qkv = randomF32(rng, B * T * 3 * C);
    const dout = randomF32(rng, B * T * 3 * C);
    const x = f64(qkv);
    const numeric = finiteDiffGradient(() => {
      const y = Float32Array.from(x);
      ropeForward(y, table, B, T, C, NH, 3);
      return dotSum(dout, y);
    }, x, 1e-2);
    const d = dout.slice();
    ropeBackward(d, table, B, T, C, NH, 3);
    expectNonTrivial(numeric, 'numeric gradient');
    expectClose(d, numeric, F32_VS_FINITE_DIFF, 'dqkv');
  });

  it('undoes ropeForward (a rotation is orthogonal)', () => {
    const qkv = randomF32(new Rng(6), B * T * 3 * C);
    const x = qkv.slice();
    ropeForward(x, table, B, T, C, NH, 2);
    ropeBackward(x, table, B, T, C, NH, 2);
    expectClose(x, f64(qkv), { rtol: 1e-6, atol: 1e-6 }, 'round trip');
  });
});
