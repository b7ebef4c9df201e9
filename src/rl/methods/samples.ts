// The samples of one training step: what a method plans (requests), what the rollout and the verifier make
// of them, and how each is trained. Shared by every method; nothing here knows a method by name.
import { TokenMode } from '../../backend/backend';
import { decode, encodePrompt } from '../../tasks/tokenizer';
import type { Problem, Task, Verdict } from '../../tasks/task';
import type { RolloutRequest, RolloutSample } from '../rollout';
import type { TrainSequence } from '../sequences';

/** normal: from the bare prompt; extra: more of the same (counted apart); prefixed: continues a forced
 * prefix; hinted: sampled with a hint, trained against the bare prompt. */
export type SampleKind = 'normal' | 'extra' | 'prefixed' | 'hinted';

/** A complete wrong trace a forced prefix was cut from (DenoiseRL's pool entries). */
export interface WrongTrace {
  text: string; // a complete wrong trace (steps and final answer)
  failures: number; // how often a continuation from this trace's prefix failed (valuable-errors weighting)
}

export interface PlannedRequest {
  group: number;
  kind: SampleKind;
  request: RolloutRequest; // context (maybe hinted) + forced prefix
  wrongTrace: WrongTrace | null; // the pool entry a prefix came from
  hint?: string; // the hint text in the context ('' or absent: none)
  /** How the sample is trained when not as sampled: against another context, with the shaped ratio, in
   * its own loss-normalisation part (LTE's hinted samples). */
  trainAs?: { context: number[]; shaped: boolean; part: number };
  /** Train the forced prefix's tokens too (DenoiseRL's unmasked control); absent or false: masked. */
  trainPrefix?: boolean;
}

/** One sampled completion of a step, from request to advantage. */
export interface StepSample {
  group: number; // index of the problem in the step
  problem: Problem;
  kind: SampleKind;
  hint: string;
  request: RolloutRequest;
  trainAs: PlannedRequest['trainAs'];
  trainPrefix?: boolean;
  out: RolloutSample;
  text: string; // decode(prefix + completion): what the verifier and the reward see
  verdict: Verdict;
  wrongTrace: WrongTrace | null;
  clean: number;
  observed: number;
  flipped: boolean;
  advantage: number;
  trained: boolean;
}

/** `count` requests of `kind` from the bare prompt, for every problem's group. */
export function bareRequests(problem: Problem, group: number, count: number, kind: SampleKind = 'normal'): PlannedRequest[] {
  const context = encodePrompt(problem.prompt);
  return Array.from({ length: count }, () => ({ group, kind, request: { context, prefix: [] }, wrongTrace: null }));
}

/** Attach rollout outputs and the verifier's verdicts. */
export function toSamples(task: Task, problems: readonly Problem[], planned: readonly PlannedRequest[], outs: readonly RolloutSample[]): StepSample[] {
  return planned.map((r, i) => {
    const problem = problems[r.group];
    const text = decode([...r.request.prefix, ...outs[i].completion]);
    return {
      group: r.group, problem, kind: r.kind, hint: r.hint ?? '', request: r.request, trainAs: r.trainAs, trainPrefix: r.trainPrefix, out: outs[i], text,
      verdict: task.verify(problem, text), wrongTrace: r.wrongTrace, clean: 0, observed: 0, flipped: false, advantage: 0, trained: true,
    };
  });
}

/** The token mode a sample is trained with: shaped (unclipped) when its method says so, else on-policy
 * with one update per batch and clipped with more. */
export function tokenModeOf(s: StepSample, numIterations: number): number {
  if (s.trainAs?.shaped) return TokenMode.SHAPED;
  return numIterations === 1 ? TokenMode.ON_POLICY : TokenMode.CLIPPED;
}

/** The sequence a sample is trained on. */
export function trainSequence(s: StepSample, numIterations: number): TrainSequence {
  return {
    context: s.trainAs ? s.trainAs.context : s.request.context, prefix: s.request.prefix, completion: s.out.completion, logps: s.out.logps,
    advantage: s.advantage, mode: tokenModeOf(s, numIterations), part: s.trainAs ? s.trainAs.part : 0, trainPrefix: s.trainPrefix === true,
  };
}

/** Sampled from the bare prompt, no prefix and no hint. */
export const fromScratch = (s: StepSample) => s.kind === 'normal' || s.kind === 'extra';

/**
 * The prompt's own G samples from the bare prompt: what the per-prompt stagnation metrics ("solved", "none
 * pass") count, so that a method that draws more samples (GRPO-extra's extra ones, LTE's hinted round) does
 * not look less stagnant just for having drawn more.
 */
export const ownSample = (s: StepSample) => s.kind === 'normal';

/** Rows of a second sampling round (LTE's hinted round, GRPO-extra's none-pass resampling): apart from every
 * first-round row id, and the same for both methods, so their second rounds are paired row for row. */
export const SECOND_ROUND_ROWS = 1 << 16;

/** The groups none of whose samples got a positive observed reward (no learning signal), in order. */
export function nonePassGroups(samples: readonly StepSample[], numGroups: number): number[] {
  const out: number[] = [];
  for (let g = 0; g < numGroups; g++) {
    const members = samples.filter((s) => s.group === g);
    if (members.length > 0 && !members.some((s) => s.observed > 0)) out.push(g);
  }
  return out;
}
