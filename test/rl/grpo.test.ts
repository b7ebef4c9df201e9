import { describe, expect, it } from 'vitest';
import { computeAdvantages, groupStats, lossWeights, lossWeightsByPart, type LossType } from '../../src/rl/grpo';

const EPS = 1e-4;

describe('computeAdvantages', () => {
  // Group 0: [1,0,0,1] mean 0.5, Bessel var = 4*0.25/3 = 1/3. Group 1: [1,1,1,0] mean 0.75,
  // var = (3*0.0625 + 0.5625)/3 = 0.25, std 0.5.
  const rewards = [1, 0, 0, 1, 1, 1, 1, 0];
  const groups = [0, 0, 0, 0, 1, 1, 1, 1];

  it("'group' divides by each group's own std", () => {
    const s0 = Math.sqrt(1 / 3) + EPS;
    const s1 = 0.5 + EPS;
    const want = [0.5 / s0, -0.5 / s0, -0.5 / s0, 0.5 / s0, 0.25 / s1, 0.25 / s1, 0.25 / s1, -0.75 / s1];
    computeAdvantages(rewards, groups, 'group').forEach((a, i) => expect(a).toBeCloseTo(want[i], 10));
  });

  it("'batch' keeps the group mean but divides by the batch std", () => {
    // batch mean 5/8; squared deviations 5*(3/8)^2 + 3*(5/8)^2 = 1.875; Bessel: / 7.
    const s = Math.sqrt(1.875 / 7) + EPS;
    const want = [0.5, -0.5, -0.5, 0.5, 0.25, 0.25, 0.25, -0.75].map((d) => d / s);
    computeAdvantages(rewards, groups, 'batch').forEach((a, i) => expect(a).toBeCloseTo(want[i], 10));
  });

  it("'none' only subtracts the group mean", () => {
    const want = [0.5, -0.5, -0.5, 0.5, 0.25, 0.25, 0.25, -0.75];
    computeAdvantages(rewards, groups, 'none').forEach((a, i) => expect(a).toBeCloseTo(want[i], 12));
  });

  it('groups of one and all-equal groups get advantage 0 in every mode', () => {
    for (const scale of ['group', 'batch', 'none'] as const) {
      const a = computeAdvantages([1, 0, 1, 1, 0.3], [0, 1, 2, 2, 3], scale);
      expect(a).toEqual([0, 0, 0, 0, 0]);
    }
  });

  it('groups are found by id, not by position', () => {
    // ids 7 and 3 interleaved: group 7 = [2, 0], group 3 = [1, 1] -> std 0 -> 0.
    const s = Math.SQRT2 + EPS; // Bessel std of [2, 0]
    const a = computeAdvantages([2, 1, 0, 1], [7, 3, 7, 3], 'group');
    expect(a[0]).toBeCloseTo(1 / s, 12);
    expect(a[2]).toBeCloseTo(-1 / s, 12);
    expect(a[1]).toBe(0);
    expect(a[3]).toBe(0);
  });

  it('rejects mismatched lengths', () => {
    expect(() => computeAdvantages([1, 0], [0], 'group')).toThrow(RangeError);
  });
});

/** TRL's three aggregations written literally on a zero-padded batch, to cross-check the weights. */
function trlLoss(losses: number[][], masks: number[][], lossType: LossType, maxLen: number): number {
  const rowSum = (r: number, m: number[]) => m.reduce((s, x, t) => s + x * losses[r][t], 0);
  if (lossType === 'dapo') {
    const tokens = masks.flat().reduce((s, x) => s + x, 0);
    return masks.reduce((s, m, r) => s + rowSum(r, m), 0) / Math.max(tokens, 1);
  }
  if (lossType === 'grpo') {
    const per = masks.map((m, r) => rowSum(r, m) / Math.max(m.reduce((s, x) => s + x, 0), 1));
    return per.reduce((s, x) => s + x, 0) / masks.length;
  }
  return masks.reduce((s, m, r) => s + rowSum(r, m), 0) / (masks.length * maxLen);
}

describe('lossWeights', () => {
  const masks = [[1, 1, 0], [0, 0, 0], [1, 1, 1, 1]]; // ragged, one all-masked sequence

  it("'dapo': 1 / (unmasked tokens in the batch)", () => {
    const w = 1 / 6;
    expect(lossWeights(masks, 'dapo', 5)).toEqual([[w, w, 0], [0, 0, 0], [w, w, w, w]]);
  });

  it("'grpo': 1 / (tokens of the sequence) / (number of sequences, empty ones included)", () => {
    const a = 1 / 2 / 3;
    const b = 1 / 4 / 3;
    expect(lossWeights(masks, 'grpo', 5)).toEqual([[a, a, 0], [0, 0, 0], [b, b, b, b]]);
  });

  it("'dr_grpo': 1 / (number of sequences * max completion length)", () => {
    const w = 1 / (3 * 5);
    expect(lossWeights(masks, 'dr_grpo', 5)).toEqual([[w, w, 0], [0, 0, 0], [w, w, w, w]]);
  });

  it('sum of w * l equals the TRL formula for arbitrary per-token losses', () => {
    const losses = [[0.3, -1.2, 9], [4, 5, 6], [0.7, 0.1, -0.4, 2.5]];
    for (const t of ['dapo', 'grpo', 'dr_grpo'] as const) {
      const w = lossWeights(masks, t, 5);
      const got = w.reduce((s, row, r) => s + row.reduce((u, x, k) => u + x * losses[r][k], 0), 0);
      expect(got).toBeCloseTo(trlLoss(losses, masks, t, 5), 12);
    }
  });

  it('an all-masked batch gives zeros, never NaN', () => {
    for (const t of ['dapo', 'grpo', 'dr_grpo'] as const) {
      expect(lossWeights([[0, 0], [0]], t, 4)).toEqual([[0, 0], [0]]);
    }
  });
});

describe('lossWeightsByPart', () => {
  const masks = [[1, 1], [1, 0], [1, 1, 1]];
  const parts = [0, 1, 1];

  it('normalises each part as its own batch', () => {
    expect(lossWeightsByPart(masks, parts, 'dapo', 4)).toEqual([[1 / 2, 1 / 2], [1 / 4, 0], [1 / 4, 1 / 4, 1 / 4]]);
    const g = 1 / 3 / 2;
    expect(lossWeightsByPart(masks, parts, 'grpo', 4)).toEqual([[1 / 2, 1 / 2], [1 / 2, 0], [g, g, g]]);
    expect(lossWeightsByPart(masks, parts, 'dr_grpo', 4)).toEqual([[1 / 4, 1 / 4], [1 / 8, 0], [1 / 8, 1 / 8, 1 / 8]]);
  });

  it('with one part only it equals lossWeights', () => {
    expect(lossWeightsByPart(masks, [1, 1, 1], 'dapo', 4)).toEqual(lossWeights(masks, 'dapo', 4));
  });

  it('rejects a part other than 0 or 1', () => {
    expect(() => lossWeightsByPart(masks, [0, 2, 1], 'dapo', 4)).toThrow(RangeError);
  });
});

describe('groupStats', () => {
  it('reward_std is the mean within-group std; a group of one counts as zero-std', () => {
    const s = groupStats([1, 0, 0, 1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 1, 1, 1, 1, 2]);
    expect(s.reward_std).toBeCloseTo(Math.sqrt(1 / 3) / 3, 12);
    expect(s.frac_reward_zero_std).toBeCloseTo(2 / 3, 12);
    expect(s.groupIds).toEqual([0, 1, 2]);
    expect(s.groupMeans).toEqual([0.5, 1, 0]);
    expect(s.reward).toBeCloseTo(6 / 9, 12);
  });
});
