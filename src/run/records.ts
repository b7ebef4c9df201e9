// The metrics contract: what metrics.jsonl and traces.jsonl hold, read by the UI, the experiment suites and
// outside tools. Metric names follow TRL's GRPOTrainer where one exists.
import { METHOD_ABOUT } from '../rl/methods/about';
import type { SampleKind } from '../rl/methods/samples';
import { REWARD_ABOUT } from '../rl/rewards/about';
import type { TraceFlag } from './traceFlags';

export type { SampleKind };

/** One line of metrics.jsonl. Values are numbers, or null when the step had nothing to measure. */
export interface MetricRow {
  step: number;
  kind: 'train' | 'eval';
  [name: string]: number | string | null;
}

/** The metrics reward kinds and methods declare as their own, in registry order (rewards first). */
export const OWNED_METRICS: readonly string[] = [...REWARD_ABOUT, ...METHOD_ABOUT].flatMap((a) => [...a.metrics]);

/**
 * The train-row metrics every step carries (null where not applicable). The lab's own, beside TRL's:
 * - reward/clean, reward/observed: mean true correctness and mean reward the update saw, over every trained
 *   sample of the step (both rounds; LTE's replaced originals and SRT's skipped prompts are not trained).
 * - recovery/*: over the step's prefixed samples (DenoiseRL) whose prefix holds a wrong step (a complete step
 *   judged wrong and not retracted inside the prefix; src/rl/recovery.ts), null when there is none:
 *   rate = right answers; retraction_rate = right after retracting a wrong step and redoing it right;
 *   silent_rate = right without such a retraction (rate = retraction_rate + silent_rate); gap = accuracy from
 *   the bare prompt in the same step minus rate; prefix_error_frac = prefixed samples whose prefix holds one.
 * - stagnation/*, per prompt, from each prompt's own G samples only (GRPO-extra's extra samples, DenoiseRL's
 *   prefixed ones and LTE's hinted ones never count): none_pass_frac = prompts of the step none of whose G
 *   samples is right; solved_frac = training problems one of whose G samples has ever been right.
 * - completions/retraction_ratio, completions/false_retraction_ratio: sampled completions (both rounds) whose
 *   own text (after any forced prefix) has a retraction, and one that retracts a step that was right.
 */
export const TRAIN_METRICS: readonly string[] = [
  'reward/clean', 'reward/observed', 'recovery/rate', 'recovery/retraction_rate', 'recovery/silent_rate', 'recovery/gap',
  'recovery/prefix_error_frac', 'stagnation/none_pass_frac', 'stagnation/solved_frac',
  ...OWNED_METRICS,
  'reward', 'reward_std', 'frac_reward_zero_std', 'completions/mean_length', 'completions/min_length',
  'completions/max_length', 'completions/clipped_ratio', 'completions/retraction_ratio', 'completions/false_retraction_ratio',
  'kl', 'entropy', 'clip_ratio/low_mean',
  'clip_ratio/high_mean', 'clip_ratio/region_mean', 'grad_norm', 'num_tokens', 'tokens_per_s', 'step_time',
  'time/rollout', 'time/reward', 'time/update', 'lr',
  'gpu/dispatches', 'gpu/submits', 'gpu/readbacks', 'gpu/readback_bytes', 'gpu/bytes_held',
];

/**
 * The eval-row metrics (plus eval/pass@k for k = 1, 2, 4, ..., n). eval/recovery/*: on the fixed held-out
 * noisy prefixes that hold a wrong step, acc_noise split into retraction_rate and silent_rate as in training.
 */
export const EVAL_METRICS = [
  'eval/n', 'eval/greedy_acc', 'eval/recovery/acc_base', 'eval/recovery/acc_noise', 'eval/recovery/retraction_rate',
  'eval/recovery/silent_rate', 'eval/recovery/gap', 'eval/recovery/recoverability',
] as const;

/** One line of traces.jsonl: a sampled completion and everything the inspector shows about it. */
export interface TraceRow {
  step: number;
  group: number; // index of the prompt group within the step
  kind: SampleKind;
  prompt: string;
  hint: string; // LTE hint shown to the model ('' if none)
  prefix: string; // DenoiseRL noisy prefix ('' if none); the completion continues it
  completion: string; // the policy's own text (after the prefix), EOS not included
  finished: boolean; // ended with EOS within the budget
  answer: string | null;
  gold: string;
  correct: boolean; // clean correctness of prefix + completion
  reward_clean: number;
  reward_observed: number;
  flipped: boolean; // the observed reward differs from the clean one because of noise
  advantage: number;
  trained: boolean; // part of the update (LTE: hinted samples that replaced a failed original; SRT: kept prompts)
  // The verifier's spans, sent once from the engine so the inspector never re-parses the text. Offsets are
  // into prefix + completion (the text the verifier judged); the prefix is its first prefix.length characters.
  // Offsets are absent in traces stored before the engine sent them: the inspector then shows plain text.
  first_wrong_step: number | null; // index into steps
  retractions: number;
  recovered_at: number | null; // index into steps of the retraction that replaced a wrong step by a right one
  steps: { text: string; ok: boolean; retracted: boolean; isRetraction: boolean; start?: number; end?: number }[]; // end exclusive
  answer_start?: number | null; // offset of the conclusion '>' (the answer follows it), null when there is none
  logprobs: number[]; // one per completion character (EOS excluded)
  flags?: TraceFlag[]; // the engine's flags (src/run/traceFlags.ts); absent in traces stored before them
}
