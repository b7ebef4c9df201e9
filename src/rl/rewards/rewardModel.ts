// A simulated noisy reward model (methods.md section 1, toy): it knows the true label and reports it
// with probability `accuracy`, like the paper's 65% / 85% accurate reward models.

import type { Rng } from '../../backend/rng';

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
