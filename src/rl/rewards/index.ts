// The reward registry and its one entry point: computeRewards dispatches on settings.reward and always also
// returns the clean correctness, so the trainer can log true accuracy next to what it trained on. Adding a
// reward kind: its About and RewardKind in a family file here, one line in ./about.ts and one line below.
import type { Rng } from '../../backend/rng';
import type { Task } from '../../tasks/task';
import { groupMembers } from '../grpo';
import type { RewardName } from './about';
import { flipReward, type FlipMode } from './flip';
import { rewardModelReward, rmRprReward } from './rewardModel';
import { rprReward, rprWhenWrongReward } from './rpr';
import { selfConsistencyReward } from './selfConsistency';
import type { RewardItem, RewardKind } from './reward';

export const REWARD_KINDS = {
  verifiable: { compute: (b) => ({ observed: [...b.clean] }) },
  flip: flipReward,
  reward_model: rewardModelReward,
  rpr: rprReward,
  rpr_when_wrong: rprWhenWrongReward,
  rm_rpr: rmRprReward,
  self_consistency: selfConsistencyReward,
} satisfies Record<RewardName, RewardKind<never>>;

export { REWARD_ABOUT, REWARD_NAMES, type RewardName } from './about';
export { flipRewards, type FlipMode, type FlipResult } from './flip';
export { calibrateWithRpr, simulatedRewardModel } from './rewardModel';
export { rprRewards, type RprMode } from './rpr';
export { majorityVote, selfConsistencyGroups, srtRewards, srtSelectPrompts, type MajorityVote } from './selfConsistency';
export type { RewardBatch, RewardItem, RewardKind, RewardOutput } from './reward';

/** The config fields the rewards read. */
export interface RewardSettings {
  reward: RewardName;
  flipRate: number;
  flipMode: FlipMode;
  rmAccuracy: number;
  srtSoft: boolean;
  srtThreshold: number;
  srtKeepFraction: number;
}

export interface RewardResult {
  clean: number[]; // true correctness, 0/1 (for logging; never what the trainer optimises unless 'verifiable')
  observed: number[]; // the reward the trainer uses
  flipped: boolean[]; // flip: the flip changed this reward; reward_model/rm_rpr: the RM's label was wrong
  groupIds: number[]; // group ids in order of first appearance; keptGroups follows it
  keptGroups?: boolean[]; // prompts to train on (see RewardOutput)
  metrics: Record<string, number | null>; // the kind's own train-row metrics
}

/**
 * The training reward for a batch of completions. `rng` is used only by 'flip' and the reward-model
 * modes; pass a stream forked per step so the noise is reproducible and independent of sampling.
 */
export function computeRewards(items: readonly RewardItem[], settings: RewardSettings, task: Pick<Task, 'reasoningPatterns'>, rng: Rng): RewardResult {
  if (!Object.hasOwn(REWARD_KINDS, settings.reward)) throw new RangeError(`computeRewards: unknown reward ${String(settings.reward)}`);
  const correct = items.map((x) => x.correct);
  const clean = correct.map((c) => (c ? 1 : 0));
  const groups = groupMembers(items.map((x) => x.groupId));
  const kind: RewardKind<RewardSettings> = REWARD_KINDS[settings.reward];
  const out = kind.compute({ items, clean, correct, parseable: items.map((x) => x.answer !== null), groups, task, rng }, settings);
  return {
    clean, observed: out.observed, flipped: out.flipped ?? items.map(() => false), groupIds: groups.ids,
    keptGroups: out.keptGroups, metrics: out.metrics ?? {},
  };
}
