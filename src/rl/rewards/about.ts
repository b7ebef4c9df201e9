// The reward catalog the page and the config schema read: each reward kind's About, in registry order. The
// engine's registry (./index.ts) holds the same kinds with their compute, typed against these names.
import type { About } from '../about';
import { flipAbout } from './flip';
import { rewardModelAbout, rmRprAbout } from './rewardModel';
import { rprAbout, rprWhenWrongAbout } from './rpr';
import { selfConsistencyAbout } from './selfConsistency';

const verifiableAbout = {
  name: 'verifiable', label: 'Verifiable (clean)', knobs: [], metrics: [], charts: [], learn: null,
} as const satisfies About;

export const REWARD_ABOUT = [
  verifiableAbout, // clean correctness
  flipAbout, // correctness flipped with probability flipRate (per group or per completion)
  rewardModelAbout, // a simulated reward model that is right with probability rmAccuracy
  rprAbout, // reasoning-pattern reward only, never looks at the answer
  rprWhenWrongAbout, // correctness, and a wrong answer earns RPR instead of 0
  rmRprAbout, // the simulated reward model, calibrated by RPR: if rm < 0.5, rm = min(rm + 0.1*RPR, 1)
  selfConsistencyAbout, // SRT: agreement with the group's majority answer
] as const;

export type RewardName = (typeof REWARD_ABOUT)[number]['name'];

export const REWARD_NAMES = REWARD_ABOUT.map((r) => r.name) as unknown as readonly [RewardName, ...RewardName[]];
