// The samples of one training step and the rules that turn them into groups: which requests each method
// makes (grpo, grpo_extra, denoise) and LTE's hinted second round with its replacements.
import { TokenMode } from '../../backend/backend';
import type { Rng } from '../../backend/rng';
import type { SampleKind } from '../../run/records';
import { decode, encodePrompt } from '../../tasks/tokenizer';
import type { Problem, Task, Verdict } from '../../tasks/task';
import type { RolloutRequest, RolloutSample } from '../rollout';
import { noisyPrefix, pickWrongTrace, sampleRho, type RhoSampler, type WrongPool, type WrongTrace } from './denoise';

/** One sampled completion of a step, from request to advantage. */
export interface StepSample {
  group: number; // index of the problem in the step
  problem: Problem;
  kind: SampleKind;
  hint: string;
  request: RolloutRequest; // context (maybe hinted) + forced prefix, as sampled
  out: RolloutSample;
  text: string; // decode(prefix + completion): what the verifier and the reward see
  verdict: Verdict;
  wrongTrace: WrongTrace | null; // the pool entry the prefix came from
  clean: number;
  observed: number;
  flipped: boolean;
  advantage: number;
  trained: boolean;
}

export interface GroupPlan {
  groupSize: number; // G (DenoiseRL: N normal)
  method: 'grpo' | 'grpo_extra' | 'lte' | 'denoise';
  denoiseK: number;
  rho: number;
  rhoSampler: RhoSampler;
  valuableErrors: boolean;
}

export interface PlannedRequest {
  group: number;
  kind: SampleKind;
  request: RolloutRequest;
  wrongTrace: WrongTrace | null;
}

/** The first round of requests of a step, per method. */
export function planRequests(problems: readonly Problem[], plan: GroupPlan, pool: WrongPool | null, rng: Rng): PlannedRequest[] {
  const reqs: PlannedRequest[] = [];
  problems.forEach((p, group) => {
    const context = encodePrompt(p.prompt);
    const normal = (kind: SampleKind) => reqs.push({ group, kind, request: { context, prefix: [] }, wrongTrace: null });
    for (let i = 0; i < plan.groupSize; i++) normal('normal');
    if (plan.method === 'grpo_extra') for (let i = 0; i < plan.groupSize; i++) normal('extra');
    if (plan.method === 'denoise') {
      const traces = pool?.get(p.prompt);
      for (let i = 0; i < plan.denoiseK; i++) {
        if (!traces || traces.length === 0) { normal('normal'); continue; } // no wrong trace: a normal slot
        const w = pickWrongTrace(traces, plan.valuableErrors, rng);
        const prefix = noisyPrefix(w.text, sampleRho(plan.rhoSampler, plan.rho, rng));
        reqs.push({ group, kind: 'prefixed', request: { context, prefix }, wrongTrace: w });
      }
    }
  });
  return reqs;
}

/** Attach rollout outputs and the verifier's verdicts. */
export function toSamples(task: Task, problems: readonly Problem[], planned: readonly PlannedRequest[], outs: readonly RolloutSample[], hints?: readonly string[]): StepSample[] {
  return planned.map((r, i) => {
    const problem = problems[r.group];
    const text = decode([...r.request.prefix, ...outs[i].completion]);
    return {
      group: r.group, problem, kind: r.kind, hint: hints?.[i] ?? '', request: r.request, out: outs[i], text,
      verdict: task.verify(problem, text), wrongTrace: r.wrongTrace, clean: 0, observed: 0, flipped: false, advantage: 0, trained: true,
    };
  });
}

/**
 * LTE: none-pass groups (every observed reward 0) and the hint each one gets. A hint keeps as many of the
 * group's distinct wrong answers as fit the context (hint + prompt <= maxContext tokens).
 */
export function lteHints(task: Task, samples: readonly StepSample[], numGroups: number, maxContext: number): Map<number, string> {
  const hints = new Map<number, string>();
  for (let g = 0; g < numGroups; g++) {
    const members = samples.filter((s) => s.group === g);
    if (members.length === 0 || members.some((s) => s.observed > 0)) continue;
    const wrong: string[] = [];
    for (const s of members) if (s.verdict.answer !== null && !wrong.includes(s.verdict.answer)) wrong.push(s.verdict.answer);
    const truncated = members.filter((s) => s.out.truncated).length;
    const truncation = truncated === 0 ? 'none' : truncated === members.length ? 'all' : 'some';
    for (let keep = wrong.length; keep >= 0; keep--) {
      const hint = task.hint(wrong.slice(0, keep), truncation);
      if (encodePrompt(hint + members[0].problem.prompt).length <= maxContext) { hints.set(g, hint); break; }
    }
  }
  return hints;
}

/** LTE requests: G hinted samples for each hinted group. */
export function planHinted(problems: readonly Problem[], hints: Map<number, string>, G: number): { planned: PlannedRequest[]; hintTexts: string[] } {
  const planned: PlannedRequest[] = [];
  const hintTexts: string[] = [];
  for (const [group, hint] of hints) {
    const context = encodePrompt(hint + problems[group].prompt);
    for (let i = 0; i < G; i++) { planned.push({ group, kind: 'hinted', request: { context, prefix: [] }, wrongTrace: null }); hintTexts.push(hint); }
  }
  return { planned, hintTexts };
}

/**
 * LTE replacement: in each hinted group, the G' hinted samples with a positive reward replace G' failed
 * originals chosen at random, so the group stays G. Hinted samples that replace nobody are not trained.
 * Returns the step's samples with `trained` set; replaced originals are dropped from training.
 */
export function lteReplace(originals: StepSample[], hinted: StepSample[], rng: Rng): { solvedGroups: number; hintedGroups: number } {
  const groups = new Set(hinted.map((s) => s.group));
  let solved = 0;
  for (const g of groups) {
    const good = hinted.filter((s) => s.group === g && s.observed > 0);
    const failed = rng.shuffle(originals.filter((s) => s.group === g && s.observed <= 0 && s.trained));
    for (const s of hinted.filter((x) => x.group === g)) s.trained = false;
    good.forEach((s, i) => {
      if (i >= failed.length) return;
      failed[i].trained = false;
      s.trained = true;
    });
    if (good.length > 0) solved++;
  }
  return { solvedGroups: solved, hintedGroups: groups.size };
}

/** The token mode each sample is trained with (methods.md sections 0 and 3). */
export function tokenModeOf(s: StepSample, numIterations: number): number {
  if (s.kind === 'hinted') return TokenMode.SHAPED; // trained against the un-hinted prompt, ratio shaped, unclipped
  return numIterations === 1 ? TokenMode.ON_POLICY : TokenMode.CLIPPED;
}
