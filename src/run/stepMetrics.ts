// Turn one step's samples, rewards and update statistics into a metrics.jsonl train row (names as TRL logs
// them, plus the lab's own) and into trace rows for the inspector.
import type { BackendCounters } from '../backend/backend';
import { groupStats } from '../rl/grpo';
import { clipRatios, mean } from '../rl/metrics';
import type { StepSample } from '../rl/methods/samples';
import type { RewardResult } from '../rl/rewards';
import type { UpdateResult } from '../rl/update';
import { decode } from '../tasks/tokenizer';
import { BOS_ID, EOS_ID, PAD_ID } from '../backend/backend';
import type { RunConfig } from './config';
import type { MetricRow, TraceRow } from './records';

export interface StepMetricInputs {
  step: number;
  config: RunConfig;
  samples: StepSample[]; // first round (normal, extra, prefixed)
  hinted: StepSample[]; // LTE's hinted round
  rewards: RewardResult;
  lte: { solvedGroups: number; hintedGroups: number } | null;
  update: UpdateResult | null;
  tokenMask: Float32Array; // 1 for each trained token row of the update batch (loss weight > 0)
  trainSize: number;
  solved: number;
  rho: number | null;
  times: { rollout: number; reward: number; update: number; total: number }; // ms
  counters: [BackendCounters, BackendCounters];
}

const meanOrNull = (xs: number[]) => (xs.length ? mean(xs) : null);

export function stepMetrics(x: StepMetricInputs): MetricRow {
  const { samples, config: c } = x;
  const unprefixed = samples.filter((s) => s.kind !== 'prefixed');
  const prefixed = samples.filter((s) => s.kind === 'prefixed');
  const groups = groupStats(samples.map((s) => s.observed), samples.map((s) => s.group));
  const numGroups = new Set(samples.map((s) => s.group)).size;
  let nonePass = 0;
  for (let g = 0; g < numGroups; g++) if (!unprefixed.some((s) => s.group === g && s.clean > 0)) nonePass++;
  const lengths = [...samples, ...x.hinted].map((s) => s.request.prefix.length + s.out.completion.length);
  const accBase = meanOrNull(unprefixed.map((s) => s.clean));
  const accNoise = meanOrNull(prefixed.map((s) => s.clean));

  // token statistics over the trained (unmasked) tokens
  let entropy = null as number | null;
  let kl = null as number | null;
  let clips = { 'clip_ratio/low_mean': 0, 'clip_ratio/high_mean': 0, 'clip_ratio/region_mean': 0 };
  let numTokens = 0;
  if (x.update) {
    const stats = x.update.stats;
    const n = stats.length / 4;
    const mask = x.tokenMask;
    const codes = new Float32Array(n);
    let ent = 0;
    let k3 = 0;
    for (let i = 0; i < n; i++) codes[i] = stats[i * 4 + 3];
    numTokens = mask.reduce((a, m) => a + m, 0);
    let count = 0;
    for (let i = 0; i < n; i++) if (mask[i]) { ent += stats[i * 4 + 1]; k3 += stats[i * 4 + 2]; count++; }
    entropy = count ? ent / count : null;
    kl = count ? k3 / count : null;
    clips = clipRatios(codes, mask);
  }
  const [c0, c1] = x.counters;
  const row: MetricRow = {
    step: x.step,
    kind: 'train',
    'reward/clean': mean(samples.map((s) => s.clean)),
    'reward/observed': mean(samples.map((s) => s.observed)),
    'recovery/rate': accNoise,
    'recovery/gap': accNoise !== null && accBase !== null ? accBase - accNoise : null,
    'stagnation/none_pass_frac': numGroups ? nonePass / numGroups : 0,
    'stagnation/solved_frac': x.solved / Math.max(1, x.trainSize),
    'srt/pseudo_label_acc': x.rewards.pseudoLabelCorrect ? mean(x.rewards.pseudoLabelCorrect.map(Number)) : null,
    'srt/majority_share': x.rewards.majorityShare ? mean(x.rewards.majorityShare) : null,
    'lte/hinted_solve_rate': x.lte ? (x.lte.hintedGroups ? x.lte.solvedGroups / x.lte.hintedGroups : null) : null,
    'lte/hinted_groups': x.lte ? x.lte.hintedGroups : null,
    'denoise/rho': x.rho,
    reward: groups.reward,
    reward_std: groups.reward_std,
    frac_reward_zero_std: groups.frac_reward_zero_std,
    'completions/mean_length': mean(lengths),
    'completions/min_length': Math.min(...lengths),
    'completions/max_length': Math.max(...lengths),
    'completions/clipped_ratio': mean([...samples, ...x.hinted].map((s) => (s.out.truncated ? 1 : 0))),
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

/** Whole groups, in order, until `limit` samples (the inspector browses groups). */
export function traceRows(step: number, samples: readonly StepSample[], limit: number): TraceRow[] {
  const rows: TraceRow[] = [];
  const byGroup = [...new Set(samples.map((s) => s.group))];
  for (const g of byGroup) {
    if (rows.length >= limit) break;
    for (const s of samples.filter((x) => x.group === g)) {
      const finished = s.out.completion[s.out.completion.length - 1] === EOS_ID;
      const completionTokens = finished ? s.out.completion.slice(0, -1) : s.out.completion;
      rows.push({
        step, group: g, kind: s.kind, prompt: s.problem.prompt, hint: s.hint, prefix: decode(s.request.prefix),
        completion: decode(completionTokens), finished, answer: s.verdict.answer, gold: s.problem.answer,
        correct: s.verdict.correct, reward_clean: s.clean, reward_observed: s.observed, flipped: s.flipped,
        advantage: s.advantage, trained: s.trained, first_wrong_step: s.verdict.firstWrongStep,
        retractions: s.verdict.retractions, recovered_at: s.verdict.recoveredAt,
        steps: s.verdict.steps.map((v) => ({ text: v.text, ok: v.ok, retracted: v.retracted, isRetraction: v.isRetraction })),
        // One per character: a sampled PAD (it ends the row) or BOS decodes to nothing, so its log-prob goes too.
        logprobs: s.out.logps.slice(0, completionTokens.length).filter((_, i) => completionTokens[i] !== PAD_ID && completionTokens[i] !== BOS_ID)
          .map((v) => Math.round(v * 1e4) / 1e4),
      });
    }
  }
  return rows;
}
