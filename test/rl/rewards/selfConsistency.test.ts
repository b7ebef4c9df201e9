import { describe, expect, it } from 'vitest';
import { majorityVote, srtRewards, srtSelectPrompts } from '../../../src/rl/rewards/selfConsistency';

describe('majorityVote', () => {
  it('takes the most frequent parseable answer; share counts all completions', () => {
    expect(majorityVote(['5', '3', '3', null])).toEqual({ label: '3', share: 2 / 4 });
    expect(majorityVote([null, null, '7', null])).toEqual({ label: '7', share: 1 / 4 });
  });
  it('breaks ties in favour of the answer seen first', () => {
    expect(majorityVote(['3', '5', '5', null, '3']).label).toBe('3');
    expect(majorityVote(['5', '3', '3', null, '5']).label).toBe('5');
  });
  it('has no label without a parseable answer', () => {
    expect(majorityVote([null, null])).toEqual({ label: null, share: 0 });
    expect(majorityVote([])).toEqual({ label: null, share: 0 });
  });
});

describe('srtRewards', () => {
  const answers = ['3', '5', '5', null];
  it('hard: 1 for agreeing with the majority', () => {
    expect(srtRewards(answers, false)).toEqual([0, 1, 1, 0]);
  });
  it("soft: the vote share of the completion's own answer, 0 if unparseable", () => {
    expect(srtRewards(answers, true)).toEqual([1 / 4, 2 / 4, 2 / 4, 0]);
  });
  it('no parseable answer: all zeros', () => {
    expect(srtRewards([null, null, null], false)).toEqual([0, 0, 0]);
    expect(srtRewards([null, null, null], true)).toEqual([0, 0, 0]);
  });
});

describe('srtSelectPrompts', () => {
  const shares = [0.5, 0.9, 0.3, 0.9, 0.7];
  it('drops prompts below the threshold, then keeps the top fraction of the rest', () => {
    expect(srtSelectPrompts(shares, 0.4, 1)).toEqual([0, 1, 3, 4]);
    expect(srtSelectPrompts(shares, 0.4, 0.5)).toEqual([1, 3]); // ceil(0.5 * 4) = 2
    expect(srtSelectPrompts(shares, 0.4, 0.6)).toEqual([1, 3, 4]); // ceil(2.4) = 3
    expect(srtSelectPrompts(shares, 0, 0.2)).toEqual([1]); // ceil(1) = 1: the first of the tied 0.9s
  });
  it('breaks ties by index and keeps exact fractions exact', () => {
    expect(srtSelectPrompts([0.5, 0.5, 0.5], 0, 0.34)).toEqual([0, 1]); // ceil(1.02) = 2
    expect(srtSelectPrompts(new Array(10).fill(0.5), 0, 0.7)).toHaveLength(7); // 0.7*10 is 7.000...01 in floats
  });
  it('can keep nothing', () => {
    expect(srtSelectPrompts(shares, 0.95, 1)).toEqual([]);
    expect(srtSelectPrompts(shares, 0, 0)).toEqual([]);
  });
});
