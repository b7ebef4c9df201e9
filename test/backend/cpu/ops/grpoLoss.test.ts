import { describe, expect, it } from 'vitest';
import { ClipCode, TokenMode, type GrpoLossSettings } from '../../../../src/backend/backend';
import { Rng } from '../../../../src/backend/rng';
import { grpoLossBackward, grpoTokenTerms, type GrpoTokenTerms } from '../../../../src/backend/cpu/ops/grpoLoss';
import { F32_VS_F64, F32_VS_FINITE_DIFF, expectClose, expectNonTrivial, finiteDiffGradient } from '../helpers/check';
import { naiveEntropy, naiveGrpoGradient, naiveGrpoTotalLoss, naiveLogprob, naiveTokenLoss, type NaiveGrpoInputs } from '../helpers/naiveLoss';
import { f64, randomF32, randomTokens } from '../helpers/random';

const V = 11;
const { CLIPPED, ON_POLICY, SHAPED } = TokenMode;
const settings: GrpoLossSettings = { epsLow: 0.2, epsHigh: 0.28, beta: 0.1, gamma: 0.5 };

// One row per case: [mode, advantage, ratio r = exp(logp - oldLogp), weight, expected clip code].
// Ratios stay away from the clip edges 0.8 and 1.28 so the loss is differentiable there (finite differences).
const cases: Array<[number, number, number, number, number]> = [
  [CLIPPED, 1.5, 0.5, 0.1, ClipCode.NONE], // A>0, r low: unclipped r*A is the min -> gradient -A r
  [CLIPPED, 1.5, 1.1, 0.2, ClipCode.NONE], // inside the trust region
  [CLIPPED, 1.5, 1.6, 0.1, ClipCode.HIGH], // A>0, r high: clipped -> policy gradient 0
  [CLIPPED, -0.7, 0.5, 0.3, ClipCode.LOW], // A<0, r low: clipped -> policy gradient 0
  [CLIPPED, -0.7, 0.9, 0.1, ClipCode.NONE],
  [CLIPPED, -0.7, 1.6, 0.2, ClipCode.NONE], // A<0, r high: unclipped is the min (TRL does not clip here)
  [ON_POLICY, 0.8, 1, 0.1, ClipCode.NONE],
  [ON_POLICY, -1.2, 1, 0.15, ClipCode.NONE],
  [SHAPED, 0.9, 0.7, 0.1, ClipCode.NONE],
  [SHAPED, -0.6, 1.9, 0.2, ClipCode.NONE], // r far outside the clip range: SHAPED is never clipped
  [CLIPPED, 2.0, 0.95, 0, ClipCode.NONE], // masked row
];
const N = cases.length;

function setup(seed: number, s: GrpoLossSettings) {
  const rng = new Rng(seed);
  const logits = randomF32(rng, N * V, 1.5);
  const targets = randomTokens(rng, N, V);
  const tokenData = new Float32Array(N * 3);
  const oldLogp = new Float32Array(N);
  const refLogp = new Float32Array(N);
  const detachedLogp = new Float64Array(N);
  cases.forEach(([mode, A, r, w], n) => {
    const logp = naiveLogprob(logits, n * V, V, targets[n]);
    detachedLogp[n] = logp;
    tokenData.set([A, w, mode], n * 3);
    // ON_POLICY ignores oldLogp: give it a value that would make r far from 1 if it were read.
    oldLogp[n] = mode === ON_POLICY ? logp + 3 : logp - Math.log(r);
    refLogp[n] = logp + 0.6 * rng.normal();
  });
  const naive: NaiveGrpoInputs = {
    logits: f64(logits), targets, advantage: cases.map((c) => c[1]), weight: cases.map((c) => c[3]),
    mode: cases.map((c) => c[0]), oldLogp, refLogp, detachedLogp, N, V,
  };
  const dlogits = new Float32Array(N * V).fill(123); // garbage: the op must overwrite
  const stats = new Float32Array(N * 4).fill(123);
  grpoLossBackward(dlogits, stats, logits, targets, tokenData, oldLogp, refLogp, N, V, s);
  return { logits, targets, tokenData, oldLogp, refLogp, naive, dlogits, stats };
}

describe('grpoLossBackward', () => {
  it('writes stats [logp, entropy, k3, clipCode] for every row, masked or not', () => {
    const { logits, targets, refLogp, stats } = setup(1, settings);
    for (let n = 0; n < N; n++) {
      const logp = naiveLogprob(logits, n * V, V, targets[n]);
      const k3 = Math.exp(refLogp[n] - logp) - (refLogp[n] - logp) - 1;
      expectClose(stats.subarray(n * 4, n * 4 + 3), [logp, naiveEntropy(logits, n * V, V), k3], F32_VS_F64, `stats row ${n}`);
      expect(stats[n * 4 + 3], `clip code of row ${n}`).toBe(cases[n][4]);
    }
  });

  it('dlogits matches the naive case-by-case gradient (all modes, clipped and unclipped, beta > 0)', () => {
    const { naive, dlogits } = setup(2, settings);
    expectClose(dlogits, naiveGrpoGradient(naive, settings), F32_VS_F64, 'dlogits');
  });

  it('dlogits matches central finite differences of the total loss in float64', () => {
    for (const s of [settings, { ...settings, beta: 0 }, { ...settings, beta: 0.5, gamma: 2 }]) {
      const { naive, dlogits } = setup(3, s);
      const x = naive.logits as Float64Array;
      const fd = finiteDiffGradient(() => naiveGrpoTotalLoss(naive, s), x);
      expectNonTrivial(fd, 'dlogits');
      expectClose(dlogits, fd, F32_VS_FINITE_DIFF, `dlogits vs finite differences (beta ${s.beta}, gamma ${s.gamma})`);
    }
  });

  it('clipped tokens get zero gradient without KL; masked rows get exactly 0; k3 is 0 when beta = 0', () => {
    const s = { ...settings, beta: 0 };
    const { dlogits, stats } = setup(4, s);
    cases.forEach(([, , , w, code], n) => {
      const row = Array.from(dlogits.subarray(n * V, (n + 1) * V));
      if (code !== ClipCode.NONE || w === 0) expect(row.every((g) => g === 0), `row ${n} is zero`).toBe(true);
      else expect(row.some((g) => g !== 0), `row ${n} is not zero`).toBe(true);
      expect(stats[n * 4 + 2]).toBe(0);
    });
  });

  it('ON_POLICY gives -A * weight * (onehot - softmax) whatever oldLogp holds', () => {
    const s = { ...settings, beta: 0 };
    const { logits, targets, dlogits } = setup(5, s);
    for (const n of [6, 7]) {
      const [, A, , w] = cases[n];
      const p = Array.from({ length: V }, (_, v) => Math.exp(naiveLogprob(logits, n * V, V, v)));
      const expected = p.map((pv, v) => -A * w * ((v === targets[n] ? 1 : 0) - pv));
      expectClose(dlogits.subarray(n * V, (n + 1) * V), expected, F32_VS_F64, `on-policy row ${n}`);
    }
  });

  it('overwrites dlogits: a second call gives the same values, not twice them', () => {
    const a = setup(6, settings);
    const first = Float32Array.from(a.dlogits);
    expectNonTrivial(first, 'dlogits');
    grpoLossBackward(a.dlogits, a.stats, a.logits, a.targets, a.tokenData, a.oldLogp, a.refLogp, N, V, settings);
    expect(Array.from(a.dlogits)).toEqual(Array.from(first));
  });

  it('grpoTokenTerms.loss is the per-token loss of docs/methods.md', () => {
    const { naive } = setup(7, settings);
    const terms: GrpoTokenTerms = { loss: 0, dlossDlogp: 0, k3: 0, clipCode: 0 };
    for (let n = 0; n < N; n++) {
      const logp = naive.detachedLogp[n];
      grpoTokenTerms(logp, naive.advantage[n], naive.mode[n], naive.oldLogp[n], naive.refLogp[n], settings, terms);
      expect(terms.loss).toBeCloseTo(naiveTokenLoss(logp, n, naive, settings), 6);
    }
  });
});
