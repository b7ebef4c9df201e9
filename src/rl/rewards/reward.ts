// The seat of a reward kind: what computeRewards asks of it. A kind is an About (plain data: label, knobs,
// metrics, charts, Learn text) and a RewardKind (compute), exported from its family's file in this folder
// and listed in ./about.ts and ./index.ts.
import type { Rng } from '../../backend/rng';
import type { Task } from '../../tasks/task';
import type { Groups } from '../grpo';

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

/** What a kind computes from a batch; computeRewards adds the clean reward and the group ids. */
export interface RewardOutput {
  observed: number[]; // the reward the trainer uses
  flipped?: boolean[]; // the observed label differs from the truth because of noise (default: none)
  // prompts to train on (SRT's selection). `observed` is NOT zeroed for dropped groups (that would distort
  // the logged reward); the trainer leaves them out of the update.
  keptGroups?: boolean[];
  metrics?: Record<string, number | null>; // the kind's own train-row metrics (names from its About.metrics)
}

/** The batch as every kind sees it. */
export interface RewardBatch {
  items: readonly RewardItem[];
  clean: number[]; // 0/1 correctness
  correct: boolean[];
  parseable: boolean[];
  groups: Groups; // groupMembers(groupIds)
  task: Pick<Task, 'reasoningPatterns'>;
  rng: Rng; // used only by noisy kinds; a stream forked per step
}

export interface RewardKind<S = object> {
  compute(batch: RewardBatch, settings: S): RewardOutput;
}
