import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/backend/rng';
import { computeRewards, type RewardItem, type RewardSettings } from '../../../src/rl/rewards';
import { parseRunConfig, type RunConfigInput } from '../../../src/run/config';
import { rprScore } from '../../../src/tasks/rpr';

const task = { reasoningPatterns: ['a', 'b', 'c', 'd'] };

// Two prompts with interleaved ids 5 and 2. Prompt 5 (gold 8): answers 7, 7, 8, none -> majority 7 (wrong).
// Prompt 2 (gold 8): answers 8, 8, 9, 8 -> majority 8 (right).
const items: RewardItem[] = [
  { groupId: 5, completion: 'a;b', answer: '7', correct: false },
  { groupId: 2, completion: 'a', answer: '8', correct: true },
  { groupId: 5, completion: 'zzz', answer: '7', correct: false },
  { groupId: 2, completion: 'a;c', answer: '8', correct: true },
  { groupId: 5, completion: 'c', answer: '8', correct: true },
  { groupId: 2, completion: 'b', answer: '9', correct: false },
  { groupId: 5, completion: 'd', answer: null, correct: false },
  { groupId: 2, completion: 'zzz', answer: '8', correct: true },
];
const clean = [0, 1, 0, 1, 1, 0, 0, 1];

function settings(input: RunConfigInput): RewardSettings {
  return parseRunConfig(input);
}

describe('computeRewards', () => {
  it("'verifiable' trains on clean correctness", () => {
    const r = computeRewards(items, settings({ reward: 'verifiable' }), task, new Rng(1));
    expect(r.clean).toEqual(clean);
    expect(r.observed).toEqual(clean);
    expect(r.flipped.every((f) => !f)).toBe(true);
    expect(r.groupIds).toEqual([5, 2]);
  });

  it("'flip' with rate 1 inverts every parseable reward; the unparseable one stays 0", () => {
    for (const flipMode of ['group', 'completion'] as const) {
      const r = computeRewards(items, settings({ reward: 'flip', flipRate: 1, flipMode }), task, new Rng(1));
      expect(r.clean).toEqual(clean);
      expect(r.observed).toEqual([1, 0, 1, 0, 0, 1, 0, 0]);
      expect(r.flipped).toEqual([true, true, true, true, true, true, false, true]);
    }
  });

  it("'reward_model' reports the truth at accuracy 1 and lies at accuracy 0", () => {
    const truthful = computeRewards(items, settings({ reward: 'reward_model', rmAccuracy: 1 }), task, new Rng(1));
    expect(truthful.observed).toEqual(clean);
    const liar = computeRewards(items, settings({ reward: 'reward_model', rmAccuracy: 0 }), task, new Rng(1));
    expect(liar.observed).toEqual([1, 0, 1, 0, 0, 1, 0, 0]);
    expect(liar.flipped).toEqual([true, true, true, true, true, true, false, true]);
  });

  it("'rpr' and 'rpr_when_wrong' use the task's RPR", () => {
    const rpr = items.map((x) => rprScore(task, x.completion));
    expect(computeRewards(items, settings({ reward: 'rpr' }), task, new Rng(1)).observed).toEqual(rpr);
    const whenWrong = computeRewards(items, settings({ reward: 'rpr_when_wrong' }), task, new Rng(1)).observed;
    expect(whenWrong).toEqual(rpr.map((s, i) => (clean[i] === 1 ? 1 : s)));
  });

  it("'rm_rpr' lifts RM scores below 0.5 by 0.1 * RPR", () => {
    const rpr = items.map((x) => rprScore(task, x.completion));
    const r = computeRewards(items, settings({ reward: 'rm_rpr', rmAccuracy: 1 }), task, new Rng(1));
    expect(r.observed).toEqual(clean.map((c, i) => (c === 1 ? 1 : 0.1 * rpr[i])));
    expect(r.observed[0]).toBeGreaterThan(0); // 'a;b' is wrong but shows patterns
  });

  it("'self_consistency' rewards agreement and reports the pseudo-label's quality", () => {
    const r = computeRewards(items, settings({ reward: 'self_consistency', srtThreshold: 0.6 }), task, new Rng(1));
    expect(r.observed).toEqual([1, 1, 1, 1, 0, 0, 0, 1]);
    expect(r.clean).toEqual(clean);
    expect(r.groupIds).toEqual([5, 2]);
    expect(r.metrics['srt/pseudo_label_acc']).toBe(1 / 2); // group 5's majority is wrong, group 2's right
    expect(r.metrics['srt/majority_share']).toBe((2 / 4 + 3 / 4) / 2);
    expect(r.keptGroups).toEqual([false, true]); // 0.5 < 0.6 is skipped
  });

  it("'self_consistency' soft rewards are vote shares", () => {
    const r = computeRewards(items, settings({ reward: 'self_consistency', srtSoft: true }), task, new Rng(1));
    expect(r.observed).toEqual([2 / 4, 3 / 4, 2 / 4, 3 / 4, 1 / 4, 1 / 4, 0, 3 / 4]);
    expect(r.keptGroups).toEqual([true, true]);
  });
});
