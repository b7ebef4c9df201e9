// One entry point for the training reward: dispatches on config.reward (methods.md sections 1 and 2) and
// always also returns the clean correctness, so the trainer can log true accuracy next to what it trained on.

import type { Rng } from '../../backend/rng';
import type { RunConfig } from '../../run/config';
import type { Task } from '../../tasks/task';
import { groupMembers } from '../grpo';
import { flipRewards } from './flip';
import { calibrateWithRpr, simulatedRewardModel } from './rewardModel';
import { rprRewards } from './rpr';
import { majorityVote, srtRewards, srtSelectPrompts } from './selfConsistency';

export { flipRewards, type FlipMode, type FlipResult } from './flip';
export { calibrateWithRpr, simulatedRewardModel } from './rewardModel';
export { rprRewards, type RprMode } from './rpr';
export { majorityVote, srtRewards, srtSelectPrompts, type MajorityVote } from './selfConsistency';

/**
 * One sampled completion as the reward code sees it. `answer` and `correct` come straight from the
 * task's Verdict; a completion is parseable exactly when `answer !== null` (derived, not passed, so the
 * two can never disagree).
 */
export interface RewardItem {
  groupId: number; // the prompt group (GRPO group) this completion belongs to
  completion: string; // text after the prompt, without EOS (what RPR reads)
  answer: string | null; // Verdict.answer: the parsed final answer, null when there is none
  correct: boolean; // Verdict.correct: answer === gold
}

/** The config fields the reward depends on. */
export type RewardSettings = Pick<
  RunConfig,
  'reward' | 'flipRate' | 'flipMode' | 'rmAccuracy' | 'srtSoft' | 'srtThreshold' | 'srtKeepFraction'
>;

export interface RewardResult {
  clean: number[]; // true correctness, 0/1 (for logging; never what the trainer optimises unless 'verifiable')
  observed: number[]; // the reward the trainer uses
  flipped: boolean[]; // flip: the flip changed this reward; reward_model/rm_rpr: the RM's label was wrong
  groupIds: number[]; // group ids in order of first appearance; the per-group arrays below follow it
  pseudoLabelCorrect?: boolean[]; // SRT: the majority answer equals the gold answer (false if none)
  majorityShare?: number[]; // SRT: votes for the majority answer / G
  // SRT: prompts that pass srtThreshold and srtKeepFraction. `observed` is NOT zeroed for dropped groups
  // (that would distort the logged reward); the trainer must leave them out of the update.
  keptGroups?: boolean[];
}

/**
 * The training reward for a batch of completions. `rng` is used only by 'flip' and the reward-model
 * modes; pass a stream forked per step so the noise is reproducible and independent of sampling.
 */
export function computeRewards(items: readonly RewardItem[], settings: RewardSettings, task: Pick<Task, 'reasoningPatterns'>, rng: Rng): RewardResult {
  const groupIds = items.map((x) => x.groupId);
  const correct = items.map((x) => x.correct);
  const parseable = items.map((x) => x.answer !== null);
  const completions = items.map((x) => x.completion);
  const clean = correct.map((c) => (c ? 1 : 0));
  const groups = groupMembers(groupIds);
  const base = { clean, groupIds: groups.ids, flipped: items.map(() => false) };

  switch (settings.reward) {
    case 'verifiable':
      return { ...base, observed: [...clean] };
    case 'flip': {
      const f = flipRewards(clean, groupIds, parseable, settings.flipRate, settings.flipMode, rng);
      return { ...base, observed: f.rewards, flipped: f.flipped };
    }
    case 'reward_model': {
      const rm = simulatedRewardModel(correct, parseable, settings.rmAccuracy, rng);
      return { ...base, observed: rm, flipped: rm.map((r, i) => r !== clean[i]) };
    }
    case 'rpr':
    case 'rpr_when_wrong':
      return { ...base, observed: rprRewards(task, completions, correct, settings.reward) };
    case 'rm_rpr': {
      // Calibrate every RM score below 0.5, unparseable ones included: RPR never looks at the answer.
      const rm = simulatedRewardModel(correct, parseable, settings.rmAccuracy, rng);
      const rpr = rprRewards(task, completions, correct, 'rpr');
      return {
        ...base,
        observed: rm.map((r, i) => calibrateWithRpr(r, rpr[i])),
        flipped: rm.map((r, i) => r !== clean[i]),
      };
    }
    case 'self_consistency': {
      const observed = new Array<number>(items.length).fill(0);
      const pseudoLabelCorrect: boolean[] = [];
      const majorityShare: number[] = [];
      for (const idx of groups.members) {
        const answers = idx.map((i) => items[i].answer);
        const vote = majorityVote(answers);
        srtRewards(answers, settings.srtSoft).forEach((r, j) => (observed[idx[j]] = r));
        // correct means answer === gold, so the label is right iff a completion voting for it is correct.
        pseudoLabelCorrect.push(vote.label !== null && idx.some((i) => items[i].answer === vote.label && items[i].correct));
        majorityShare.push(vote.share);
      }
      const kept = new Set(srtSelectPrompts(majorityShare, settings.srtThreshold, settings.srtKeepFraction));
      const keptGroups = majorityShare.map((_, g) => kept.has(g));
      return { ...base, observed, pseudoLabelCorrect, majorityShare, keptGroups };
    }
    default: {
      const never: never = settings.reward;
      throw new RangeError(`computeRewards: unknown reward ${String(never)}`);
    }
  }
}
