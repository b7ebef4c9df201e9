// Turn one step's samples, rewards and update statistics into a metrics.jsonl train row (names as TRL logs
// them, plus the lab's own) and into trace rows for the inspector.
import type { BackendCounters } from '../backend/backend';
import { groupStats } from '../rl/grpo';
import { clipRatios, mean } from '../rl/metrics';
import { fromScratch, ownSample, type StepSample } from '../rl/methods/samples';
import { prefixHoldsError, recoveryKind, retractionsFrom } from '../rl/recovery';
import type { UpdateResult } from '../rl/update';
import type { Verdict } from '../tasks/task';
import { decode } from '../tasks/tokenizer';
import { BOS_ID, EOS_ID, PAD_ID, TOKEN_STATS } from '../backend/backend';
import type { RunConfig } from './config';
import { OWNED_METRICS, type MetricRow, type TraceRow } from './records';
import { traceFlags } from './traceFlags';

export interface StepMetricInputs {
  step: number;
  config: RunConfig;
  samples: StepSample[]; // first round (normal, extra, prefixed)
  followUp: StepSample[]; // a method's second round (LTE's hinted samples)
  owned: Record<string, number | null>; // the reward kind's and the method's own metrics of this step
  update: UpdateResult | null;
  tokenMask: Float32Array; // 1 for each trained token row of the update batch (loss weight > 0)
  trainSize: number;
  solved: number;
  times: { rollout: number; reward: number; update: number; total: number }; // ms
  counters: [BackendCounters, BackendCounters];
}

const meanOrNull = (xs: number[]) => (xs.length ? mean(xs) : null);

export function stepMetrics(x: StepMetricInputs): MetricRow {
  for (const name of Object.keys(x.owned)) {
    if (!OWNED_METRICS.includes(name)) throw new Error(`metric ${name} is not declared in any method's or reward's About.metrics`);
  }
  const { samples, config: c } = x;
  const all = [...samples, ...x.followUp];
  const trained = all.filter((s) => s.trained);
  const groups = groupStats(samples.map((s) => s.observed), samples.map((s) => s.group));
  const numGroups = new Set(samples.map((s) => s.group)).size;
  // per prompt: a prompt is none-pass when none of its own G samples is right (extra or hinted ones aside)
  let nonePass = 0;
  for (let g = 0; g < numGroups; g++) if (!samples.some((s) => s.group === g && ownSample(s) && s.clean > 0)) nonePass++;
  const lengths = all.map((s) => s.request.prefix.length + s.out.completion.length);
  const accBase = meanOrNull(samples.filter(fromScratch).map((s) => s.clean));
  const rec = recoveryMetrics(samples);
  const retractions = all.map((s) => retractionsFrom(s.verdict.steps, s.request.prefix.length));

  // token statistics over the trained (unmasked) tokens
  let entropy = null as number | null;
  let kl = null as number | null;
  let clips = { 'clip_ratio/low_mean': 0, 'clip_ratio/high_mean': 0, 'clip_ratio/region_mean': 0 };
  let numTokens = 0;
  if (x.update) {
    const stats = x.update.stats;
    const S = TOKEN_STATS;
    const n = stats.length / S.columns;
    const mask = x.tokenMask;
    const codes = new Float32Array(n);
    let ent = 0;
    let k3 = 0;
    for (let i = 0; i < n; i++) codes[i] = stats[i * S.columns + S.clipCode];
    numTokens = mask.reduce((a, m) => a + m, 0);
    let count = 0;
    for (let i = 0; i < n; i++) if (mask[i]) { ent += stats[i * S.columns + S.entropy]; k3 += stats[i * S.columns + S.k3]; count++; }
    entropy = count ? ent / count : null;
    kl = count ? k3 / count : null;
    clips = clipRatios(codes, mask);
  }
  const [c0, c1] = x.counters;
  const row: MetricRow = {
    step: x.step,
    kind: 'train',
    'reward/clean': meanOrNull(trained.map((s) => s.clean)),
    'reward/observed': meanOrNull(trained.map((s) => s.observed)),
    'recovery/rate': rec.rate,
    'recovery/retraction_rate': rec.retractionRate,
    'recovery/silent_rate': rec.silentRate,
    'recovery/gap': rec.rate !== null && accBase !== null ? accBase - rec.rate : null,
    'recovery/prefix_error_frac': rec.prefixErrorFrac,
    'stagnation/none_pass_frac': numGroups ? nonePass / numGroups : 0,
    'stagnation/solved_frac': x.solved / Math.max(1, x.trainSize),
    ...Object.fromEntries(OWNED_METRICS.map((name) => [name, x.owned[name] ?? null])),
    reward: groups.reward,
    reward_std: groups.reward_std,
    frac_reward_zero_std: groups.frac_reward_zero_std,
    'completions/mean_length': mean(lengths),
    'completions/min_length': Math.min(...lengths),
    'completions/max_length': Math.max(...lengths),
    'completions/clipped_ratio': mean(all.map((s) => (s.out.truncated ? 1 : 0))),
    'completions/retraction_ratio': mean(retractions.map((r) => (r.total > 0 ? 1 : 0))),
    'completions/false_retraction_ratio': mean(retractions.map((r) => (r.false > 0 ? 1 : 0))),
    kl: c.beta > 0 ? kl : null,
    entropy,
    ...clips,
    grad_norm: x.update ? x.update.gradNorm : null,
    num_tokens: numTokens,
    tokens_per_s: (lengths.reduce((a, b) => a + b, 0) + numTokens) / Math.max(1e-9, x.times.total / 1000),
    step_time: x.times.total / 1000,
    'time/rollout': x.times.rollout / 1000,
    'time/reward': x.times.reward / 1000,
    'time/update': x.times.update / 1000,
    lr: c.lr,
    'gpu/dispatches': c1.dispatches - c0.dispatches,
    'gpu/submits': c1.submits - c0.submits,
    'gpu/readbacks': c1.readbacks - c0.readbacks,
    'gpu/readback_bytes': c1.readbackBytes - c0.readbackBytes,
    'gpu/bytes_held': c1.bytesHeld,
  };
  return row;
}

export interface RecoveryMetrics {
  rate: number | null; // right answers among prefixed samples whose prefix holds a wrong step
  retractionRate: number | null; // ... reached by retracting a wrong step and redoing it right
  silentRate: number | null; // ... reached without such a retraction (the error left standing)
  prefixErrorFrac: number | null; // prefixed samples whose prefix holds a wrong step
}

/** Recovery over the step's prefixed samples; every rate counts only prefixes that hold an error. */
export function recoveryMetrics(samples: readonly StepSample[]): RecoveryMetrics {
  const prefixed = samples.filter((s) => s.kind === 'prefixed');
  const withError = prefixed.filter((s) => prefixHoldsError(s.verdict.steps, s.request.prefix.length));
  const kinds = withError.map((s) => recoveryKind(s.verdict, s.request.prefix.length));
  const share = (k: string) => (kinds.length ? kinds.filter((x) => x === k).length / kinds.length : null);
  return {
    rate: kinds.length ? kinds.filter((x) => x !== 'failed').length / kinds.length : null,
    retractionRate: share('retraction'),
    silentRate: share('silent'),
    prefixErrorFrac: prefixed.length ? withError.length / prefixed.length : null,
  };
}

/** Whole groups, in order, until `limit` samples (the inspector browses groups). */
export function traceRows(step: number, samples: readonly StepSample[], limit: number): TraceRow[] {
  const rows: TraceRow[] = [];
  const byGroup = [...new Set(samples.map((s) => s.group))];
  for (const g of byGroup) {
    if (rows.length >= limit) break;
    for (const s of samples.filter((x) => x.group === g)) rows.push(traceRow(step, s));
  }
  return rows;
}

/** The one place a sample becomes a trace row (training steps and the pinned problem's probes). */
export function traceRow(step: number, s: StepSample, group = s.group): TraceRow {
  const finished = s.out.completion[s.out.completion.length - 1] === EOS_ID;
  const completionTokens = finished ? s.out.completion.slice(0, -1) : s.out.completion;
  return {
    step, group, kind: s.kind, prompt: s.problem.prompt, hint: s.hint, prefix: decode(s.request.prefix),
    completion: decode(completionTokens), finished, answer: s.verdict.answer, gold: s.problem.answer,
    correct: s.verdict.correct, reward_clean: s.clean, reward_observed: s.observed, flipped: s.flipped,
    advantage: s.advantage, trained: s.trained, first_wrong_step: s.verdict.firstWrongStep,
    retractions: s.verdict.retractions, recovered_at: s.verdict.recoveredAt,
    steps: s.verdict.steps.map((v) => ({ text: v.text, ok: v.ok, retracted: v.retracted, isRetraction: v.isRetraction, start: v.start, end: v.end })),
    answer_start: conclusionStart(s.text, s.verdict),
    // One per character: a sampled PAD (it ends the row) or BOS decodes to nothing, so its log-prob goes too.
    logprobs: s.out.logps.slice(0, completionTokens.length).filter((_, i) => completionTokens[i] !== PAD_ID && completionTokens[i] !== BOS_ID)
      .map((v) => Math.round(v * 1e4) / 1e4),
    flags: traceFlags({
      kind: s.kind, hint: s.hint, prefix: decode(s.request.prefix), flipped: s.flipped, correct: s.verdict.correct, answer: s.verdict.answer,
      retractions: s.verdict.retractions, recoveredAt: s.verdict.recoveredAt, steps: s.verdict.steps,
    }),
  };
}

/** Where the conclusion '>' of a judged text is: right after the last step's ';' (at 0 with no steps). */
export function conclusionStart(text: string, verdict: Verdict): number | null {
  const last = verdict.steps[verdict.steps.length - 1];
  const at = last ? last.end + 1 : 0;
  return text[at] === '>' ? at : null;
}
