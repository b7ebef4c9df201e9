// DenoiseRL's loss mask: prefix tokens get no gradient and do not count in the denominator.
import { describe, expect, it } from 'vitest';
import { BOS_ID, TokenMode } from '../../src/backend/backend';
import { CpuBackend, cpuData } from '../../src/backend/cpu';
import { buildTrainBatch, type TrainSequence } from '../../src/rl/sequences';

const seq = (prefix: number[], completion: number[], advantage = 1): TrainSequence => ({
  context: [BOS_ID, 5, 6], prefix, completion, logps: completion.map(() => -1), advantage, mode: TokenMode.ON_POLICY, part: 0,
});

describe('buildTrainBatch', () => {
  it('puts weight 0 on prefix tokens and counts only completion tokens in the dapo denominator', () => {
    const { batch } = buildTrainBatch([seq([7, 8, 9], [10, 11]), seq([], [12, 13, 14, 2])], 'dapo', 16, 32);
    const { B, T, tokenData } = batch;
    expect(B).toBe(2);
    expect(T).toBe(3 + 3 + 2 - 1);
    const weightAt = (b: number, t: number) => tokenData[(b * T + t) * 3 + 1];
    // row 0: context 3 tokens, prefix targets at positions 2,3,4, completion targets at 5,6
    for (const t of [2, 3, 4]) expect(weightAt(0, t)).toBe(0);
    for (const t of [5, 6]) expect(weightAt(0, t)).toBeCloseTo(1 / 6, 6); // 2 + 4 completion tokens in the batch
    for (const t of [2, 3, 4, 5]) expect(weightAt(1, t)).toBeCloseTo(1 / 6, 6);
    expect(weightAt(1, 6)).toBe(0); // padding
    // targets are the next tokens
    expect(batch.targets[0 * T + 4]).toBe(9);
    expect(batch.targets[0 * T + 5]).toBe(10);
    expect(batch.oldLogp[0 * T + 5]).toBe(-1);
    expect(batch.oldLogp[0 * T + 3]).toBe(0);
  });

  it('gives exactly zero logit gradient on prefix positions, whatever the prefix tokens are', () => {
    const k = new CpuBackend();
    const V = 16;
    const { batch } = buildTrainBatch([seq([7, 8, 9], [10, 11], 0.7)], 'dapo', 16, 32);
    const N = batch.B * batch.T;
    const t = (n: number, d: 'f32' | 'u32' = 'f32') => k.alloc(n, d);
    const logits = t(N * V);
    const l = cpuData(logits) as Float32Array;
    for (let i = 0; i < l.length; i++) l[i] = Math.sin(i * 1.3);
    const targets = t(N, 'u32'); k.write(targets, batch.targets);
    const tokenData = t(N * 3); k.write(tokenData, batch.tokenData);
    const old = t(N); k.write(old, batch.oldLogp);
    const dlogits = t(N * V);
    const stats = t(N * 4);
    k.grpoLossBackward(dlogits, stats, logits, targets, tokenData, old, t(N), N, V, { epsLow: 0.2, epsHigh: 0.2, beta: 0, gamma: 0.1 });
    const d = cpuData(dlogits) as Float32Array;
    const rowNorm = (r: number) => Math.hypot(...d.subarray(r * V, (r + 1) * V));
    for (const r of [2, 3, 4]) expect(rowNorm(r)).toBe(0);
    for (const r of [5, 6]) expect(rowNorm(r)).toBeGreaterThan(1e-3);
  });

  it('trains the prefix too when asked (the masking control), on-policy, counted in the denominator', () => {
    const unmasked = { ...seq([7, 8, 9], [10, 11]), mode: TokenMode.CLIPPED, trainPrefix: true };
    const { batch } = buildTrainBatch([unmasked, seq([], [12, 13, 14, 2])], 'dapo', 16, 32);
    const { T, tokenData } = batch;
    const at = (b: number, t: number, col: number) => tokenData[(b * T + t) * 3 + col];
    for (const t of [2, 3, 4, 5, 6]) expect(at(0, t, 1)).toBeCloseTo(1 / 9, 6); // 5 + 4 trained tokens
    for (const t of [2, 3, 4]) expect(at(0, t, 2)).toBe(TokenMode.ON_POLICY); // never sampled: no ratio to take
    for (const t of [5, 6]) expect(at(0, t, 2)).toBe(TokenMode.CLIPPED);
    for (const t of [2, 3, 4, 5]) expect(at(1, t, 1)).toBeCloseTo(1 / 9, 6);
  });

  it('refuses sequences longer than the model context', () => {
    expect(() => buildTrainBatch([seq([], Array(40).fill(4))], 'dapo', 64, 32)).toThrow(/maxT/);
  });
});
