import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/backend/rng';
import { calibrateWithRpr, simulatedRewardModel } from '../../../src/rl/rewards/rewardModel';

describe('simulatedRewardModel', () => {
  it('returns the true label with probability accuracy (within 4 sigma)', () => {
    const n = 20000;
    const src = new Rng(4, 1);
    const correct = Array.from({ length: n }, () => src.bernoulli(0.3));
    const parseable = correct.map(() => true);
    for (const a of [0.65, 0.85]) {
      const rm = simulatedRewardModel(correct, parseable, a, new Rng(8));
      const agree = rm.filter((r, i) => r === (correct[i] ? 1 : 0)).length / n;
      expect(Math.abs(agree - a)).toBeLessThan(4 * Math.sqrt((a * (1 - a)) / n));
      // errors happen on both sides, not only one
      expect(rm.some((r, i) => correct[i] && r === 0)).toBe(true);
      expect(rm.some((r, i) => !correct[i] && r === 1)).toBe(true);
    }
  });

  it('accuracy 1 is the truth, accuracy 0 is its opposite', () => {
    const correct = [true, false, true, false];
    const ok = [true, true, true, true];
    expect(simulatedRewardModel(correct, ok, 1, new Rng(2))).toEqual([1, 0, 1, 0]);
    expect(simulatedRewardModel(correct, ok, 0, new Rng(2))).toEqual([0, 1, 0, 1]);
  });

  it('an unparseable completion always scores 0', () => {
    const n = 500;
    const rm = simulatedRewardModel(new Array(n).fill(false), new Array(n).fill(false), 0, new Rng(3));
    expect(rm.every((r) => r === 0)).toBe(true);
  });
});

describe('calibrateWithRpr', () => {
  it('adds 0.1 * RPR below 0.5, capped at 1, and leaves other scores alone', () => {
    expect(calibrateWithRpr(0, 0.5)).toBeCloseTo(0.05, 12);
    expect(calibrateWithRpr(0.45, 1)).toBeCloseTo(0.55, 12);
    expect(calibrateWithRpr(0.45, 8)).toBe(1);
    expect(calibrateWithRpr(0.5, 1)).toBe(0.5);
    expect(calibrateWithRpr(1, 1)).toBe(1);
  });
});
