// Noisy rewards by flipping (Lv et al. 2025, code trestad/Noisy-Rewards-in-Learning-to-Reason).
// Used for training rewards only; evaluation always uses clean correctness.

import type { Rng } from '../../backend/rng';
import type { About } from '../about';
import type { RewardKind } from './reward';
import { groupMembers } from '../grpo';

export type FlipMode = 'group' | 'completion';

export interface FlipResult {
  rewards: number[];
  /** true where the observed reward differs from the input because of a flip. */
  flipped: boolean[];
}

/**
 * Flip 0/1 rewards symmetrically (1 -> 0, 0 -> 1).
 * 'group' (the paper's code): ONE Bernoulli(p) draw per prompt group, in order of the group's first
 * appearance; when it fires every completion of the group gets 1 - r. 'completion' (toy): an
 * independent draw per completion. A completion with no parseable answer keeps 0 even in a fired group
 * (a flip must not reward garbage), and its `flipped` is false since its reward did not change.
 * The number of draws never depends on parseability, so the rng stream stays aligned across settings.
 */
export function flipRewards(
  rewards: readonly number[],
  groupIds: readonly number[],
  parseable: readonly boolean[],
  p: number,
  mode: FlipMode,
  rng: Rng,
): FlipResult {
  if (rewards.length !== groupIds.length || rewards.length !== parseable.length) {
    throw new RangeError(`flipRewards: lengths differ (${rewards.length}, ${groupIds.length}, ${parseable.length})`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`flipRewards: p must be in [0, 1], got ${p}`);
  rewards.forEach((r, i) => {
    if (r !== 0 && r !== 1) throw new RangeError(`flipRewards: rewards must be 0 or 1, got ${r} at ${i}`);
  });

  const fire = new Array<boolean>(rewards.length).fill(false);
  if (mode === 'group') {
    for (const idx of groupMembers(groupIds).members) {
      const f = rng.bernoulli(p);
      for (const i of idx) fire[i] = f;
    }
  } else {
    for (let i = 0; i < rewards.length; i++) fire[i] = rng.bernoulli(p);
  }

  const out = rewards.map((r, i) => (!parseable[i] ? 0 : fire[i] ? 1 - r : r));
  return { rewards: out, flipped: out.map((r, i) => r !== rewards[i]) };
}

export const flipAbout = {
  name: 'flip',
  label: 'Flipped at random (noisy)',
  knobs: [
    { key: 'flipRate', label: 'Flip rate', help: 'Chance that a reward is flipped (right becomes wrong and back).' },
    { key: 'flipMode', label: 'Flip per', help: 'One coin per prompt group (as the paper) or per completion.' },
  ],
  metrics: [],
  charts: [],
  learn: null, // the noisy-reward section is the reward model's (./rewardModel.ts)
} as const satisfies About;

export const flipReward: RewardKind<{ flipRate: number; flipMode: FlipMode }> = {
  compute(b, s) {
    const f = flipRewards(b.clean, b.items.map((x) => x.groupId), b.parseable, s.flipRate, s.flipMode, b.rng);
    return { observed: f.rewards, flipped: f.flipped };
  },
};
