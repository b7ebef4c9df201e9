import { describe, expect, it } from 'vitest';
import { clipRatios, defaultKs, mean, passAtK, passAtKCurve, std, stderr } from '../../src/rl/metrics';

/** Share of all k-subsets of n samples (the first c correct) that contain a correct one, by enumeration. */
function bruteForcePassAtK(n: number, c: number, k: number): number {
  let hit = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) bits++;
    if (bits !== k) continue;
    total++;
    if ((mask & ((1 << c) - 1)) !== 0) hit++;
  }
  return hit / total;
}

describe('passAtK', () => {
  it('matches enumeration over all k-subsets for n <= 8, every c and k', () => {
    for (let n = 1; n <= 8; n++) {
      for (let c = 0; c <= n; c++) {
        for (let k = 1; k <= n; k++) expect(passAtK(n, c, k)).toBeCloseTo(bruteForcePassAtK(n, c, k), 12);
      }
    }
  });

  it('is 0 with no correct sample and 1 when every k-subset must contain one', () => {
    expect(passAtK(10, 0, 5)).toBe(0);
    expect(passAtK(10, 6, 5)).toBe(1);
  });

  it('rejects k > n, c > n and non-integers', () => {
    expect(() => passAtK(4, 0, 5)).toThrow(RangeError);
    expect(() => passAtK(4, 5, 1)).toThrow(RangeError);
    expect(() => passAtK(4, 1.5, 1)).toThrow(RangeError);
  });
});

describe('passAtKCurve', () => {
  it('averages over problems at k = 1, 2, 4, ..., n', () => {
    // n=4, c=1: pass@1 = 1/4, pass@2 = 1 - C(3,2)/C(4,2) = 1/2, pass@4 = 1; c=0 gives 0 everywhere.
    const curve = passAtKCurve([{ n: 4, c: 1 }, { n: 4, c: 0 }]);
    expect(curve.map((p) => p.k)).toEqual([1, 2, 4]);
    expect(curve[0].passAtK).toBeCloseTo(0.125, 12);
    expect(curve[1].passAtK).toBeCloseTo(0.25, 12);
    expect(curve[2].passAtK).toBeCloseTo(0.5, 12);
    // per-problem values [1/4, 0]: Bessel std = sqrt(2 * (1/8)^2) , stderr = that / sqrt(2) = 1/8
    expect(curve[0].stderr).toBeCloseTo(0.125, 12);
  });

  it('ends the default grid at n even when n is not a power of two', () => {
    expect(defaultKs(6)).toEqual([1, 2, 4, 6]);
    expect(defaultKs(1)).toEqual([1]);
    expect(passAtKCurve([{ n: 6, c: 3 }], [3]).map((p) => p.k)).toEqual([3]);
    expect(passAtKCurve([])).toEqual([]);
  });
});

describe('mean, std, stderr', () => {
  const xs = [2, 4, 4, 4, 5, 5, 7, 9]; // mean 5, squared deviations sum to 32
  it('computes them with Bessel by default', () => {
    expect(mean(xs)).toBe(5);
    expect(std(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(std(xs, 0)).toBeCloseTo(2, 12);
    expect(stderr(xs)).toBeCloseTo(Math.sqrt(32 / 7) / Math.sqrt(8), 12);
  });
  it('handles the degenerate sizes', () => {
    expect(mean([])).toBeNaN();
    expect(std([3])).toBe(0);
    expect(stderr([3])).toBe(0);
  });
});

describe('clipRatios', () => {
  it('is the masked token share clipped low, high and either', () => {
    const r = clipRatios([0, 1, 2, 1, 2, 0], [1, 1, 1, 0, 1, 0]); // 4 tokens: 1 low, 2 high
    expect(r['clip_ratio/low_mean']).toBeCloseTo(0.25, 12);
    expect(r['clip_ratio/high_mean']).toBeCloseTo(0.5, 12);
    expect(r['clip_ratio/region_mean']).toBeCloseTo(0.75, 12);
  });
  it('accepts typed arrays and gives zeros with no unmasked token', () => {
    const r = clipRatios(new Float32Array([1, 2]), new Float32Array([0, 0]));
    expect(Object.values(r)).toEqual([0, 0, 0]);
  });
  it('rejects mismatched lengths', () => {
    expect(() => clipRatios([0, 1], [1])).toThrow(RangeError);
  });
});
