// A simulated noisy reward model (toy): it knows the true label and reports it with probability
// `accuracy`, like the paper's 65% / 85% accurate reward models; and its RPR-calibrated variant.

import type { Rng } from '../../backend/rng';
import type { About } from '../about';
import type { RewardKind } from './reward';
import { rprRewards } from './rpr';

/**
 * Per completion: the true label (1 correct, 0 wrong) with probability `accuracy`, else the other one.
 * A completion without a parseable answer scores 0 whatever the draw (no label to judge). One draw per
 * completion, parseable or not, so the rng stream does not depend on parseability.
 */
export function simulatedRewardModel(
  correct: readonly boolean[],
  parseable: readonly boolean[],
  accuracy: number,
  rng: Rng,
): number[] {
  if (correct.length !== parseable.length) {
    throw new RangeError(`simulatedRewardModel: lengths differ (${correct.length} vs ${parseable.length})`);
  }
  if (!(accuracy >= 0 && accuracy <= 1)) throw new RangeError(`simulatedRewardModel: accuracy must be in [0, 1], got ${accuracy}`);
  return correct.map((c, i) => {
    const truthful = rng.bernoulli(accuracy);
    if (!parseable[i]) return 0;
    return truthful === c ? 1 : 0; // truthful: the label; lying: its opposite
  });
}

/** RPR calibration of a reward-model score, as in the paper's code: if rm < 0.5, rm = min(rm + 0.1*RPR, 1). */
export function calibrateWithRpr(rm: number, rpr: number): number {
  return rm < 0.5 ? Math.min(rm + 0.1 * rpr, 1) : rm;
}

const rmAccuracyKnob = { key: 'rmAccuracy', label: 'RM accuracy', help: 'How often the simulated reward model gives the true label.' } as const;

export const rewardModelAbout = {
  name: 'reward_model',
  label: 'Simulated reward model',
  knobs: [rmAccuracyKnob],
  metrics: [],
  charts: [],
  learn: {
    title: 'Noisy rewards and the reasoning-pattern reward',
    body: 'What if the checker lies? With flipped rewards, a coin decides per group whether every reward is inverted. Surprisingly, a model that already reasons a little still improves, only more slowly: the reward mostly teaches the shape of a good solution. The reasoning-pattern reward (RPR) pushes this to the limit: it never looks at the answer, only at whether the trace has the structure of careful work. A noisy reward model can be calibrated by RPR so that low scores on well-structured answers are lifted a little.',
    here: 'Here (evidence suite, 70 steps, 3 seeds): the gain follows the signal the noise leaves: clean +0.37 Pass@1, 85% reward model +0.35, 20% flips +0.32, 65% reward model +0.26, 40% flips +0.05. RPR alone is hacked: it rewards a check ("!") wherever it stands, the policy ends up retracting in 94% of its samples and Pass@1 falls from 0.37 to 0.05; watch the observed reward rise while the clean reward falls. RPR calibration of the 65% reward model: +0.27 against +0.26, not resolved.',
  },
} as const satisfies About;

export const rmRprAbout = {
  name: 'rm_rpr', label: 'Reward model calibrated by RPR', knobs: [rmAccuracyKnob], metrics: [], charts: [], learn: null,
} as const satisfies About;

export const rewardModelReward: RewardKind<{ rmAccuracy: number }> = {
  compute(b, s) {
    const rm = simulatedRewardModel(b.correct, b.parseable, s.rmAccuracy, b.rng);
    return { observed: rm, flipped: rm.map((r, i) => r !== b.clean[i]) };
  },
};

export const rmRprReward: RewardKind<{ rmAccuracy: number }> = {
  compute(b, s) {
    // Calibrate every RM score below 0.5, unparseable ones included: RPR never looks at the answer.
    const rm = simulatedRewardModel(b.correct, b.parseable, s.rmAccuracy, b.rng);
    const rpr = rprRewards(b.task, b.items.map((x) => x.completion), b.correct, 'rpr');
    return { observed: rm.map((r, i) => calibrateWithRpr(r, rpr[i])), flipped: rm.map((r, i) => r !== b.clean[i]) };
  },
};
