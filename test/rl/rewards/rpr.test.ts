import { describe, expect, it } from 'vitest';
import { rprRewards } from '../../../src/rl/rewards/rpr';
import { rprScore } from '../../../src/tasks/rpr';

// A stub task: RPR only reads the pattern list.
const task = { reasoningPatterns: ['a', 'b', 'c', 'd'] };
const completions = ['a;b', 'zzz', 'a;b;c;d', 'b'];

describe('rprRewards', () => {
  it('the stub patterns give a positive RPR to some completions and 0 to one with no pattern', () => {
    expect(rprScore(task, 'zzz')).toBe(0);
    expect(rprScore(task, 'a;b')).toBeGreaterThan(0);
    expect(rprScore(task, 'b')).toBeLessThan(1);
  });

  it("'rpr' is the RPR score whatever the correctness", () => {
    const want = completions.map((c) => rprScore(task, c));
    expect(rprRewards(task, completions, [true, true, false, false], 'rpr')).toEqual(want);
    expect(rprRewards(task, completions, [false, false, true, true], 'rpr')).toEqual(want);
  });

  it("'rpr_when_wrong' gives 1 to a correct answer and RPR to a wrong one", () => {
    const correct = [true, false, false, true];
    const got = rprRewards(task, completions, correct, 'rpr_when_wrong');
    expect(got).toEqual([1, 0, rprScore(task, 'a;b;c;d'), 1]);
  });

  it('rejects mismatched lengths', () => {
    expect(() => rprRewards(task, ['a'], [], 'rpr')).toThrow(RangeError);
  });
});
