// A synthetic run file with a long history (thousands of steps, every chart's metrics, a seeded random walk),
// for the tests that overlay long runs on the lab's charts. No checkpoint: it is shown, not continued.
import { parseRunConfig } from '../../run/config';
import type { MetricRow } from '../../run/records';
import { getPreset } from '../../run/presets';
import { encodeRunFile } from '../../worker/runFile';

/** Metrics a real run logs that no chart draws: rows as wide as a real run's (about 40 numbers), whose size
 * the page's garbage collector feels (src/ui/charts/catalog.ts, chartedSeries). */
const UNCHARTED = [
  'reward', 'reward_std', 'frac_reward_zero_std', 'grad_norm', 'lr', 'num_tokens', 'tokens_per_s', 'step_time',
  'time/rollout', 'time/reward', 'time/update', 'gpu/bytes_held', 'gpu/dispatches', 'gpu/readback_bytes', 'gpu/readbacks',
  'gpu/submits', 'completions/min_length', 'completions/clipped_ratio', 'completions/retraction_ratio', 'recovery/gap',
  'denoise/rho', 'lte/hinted_groups', 'extra/resampled_groups',
];

export function longRunFile(name: string, steps: number, seed: number, evalEvery = 50): string {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const train: MetricRow[] = [];
  const evals: MetricRow[] = [];
  let level = 0.2;
  for (let i = 0; i < steps; i++) {
    level = Math.min(0.95, Math.max(0.05, level + (rand() - 0.45) * 0.02));
    const noisy = () => Math.min(1, Math.max(0, level + (rand() - 0.5) * 0.3));
    train.push({
      step: i, kind: 'train', 'reward/clean': noisy(), 'reward/observed': noisy(), 'recovery/rate': noisy(),
      'stagnation/none_pass_frac': 1 - noisy(), 'stagnation/solved_frac': level, 'srt/pseudo_label_acc': noisy(), 'srt/majority_share': noisy(),
      kl: rand() * 0.01, entropy: 1 - level * 0.5 + rand() * 0.1, 'completions/mean_length': 20 + rand() * 10, 'completions/max_length': 32,
      'clip_ratio/region_mean': rand() * 0.05, 'clip_ratio/low_mean': rand() * 0.02, 'clip_ratio/high_mean': rand() * 0.02,
      ...UNCHARTED.reduce<Record<string, number>>((o, k) => ((o[k] = rand()), o), {}),
    });
    if (i % evalEvery === 0) {
      evals.push({
        step: i, kind: 'eval', 'eval/n': 8, 'eval/pass@1': level, 'eval/pass@2': Math.min(1, level * 1.4), 'eval/pass@4': Math.min(1, level * 1.7),
        'eval/pass@8': Math.min(1, level * 2), 'eval/greedy_acc': noisy(), 'eval/recovery/acc_base': noisy(), 'eval/recovery/acc_noise': noisy(),
        'eval/recovery/gap': rand() * 0.2,
      });
    }
  }
  const config = parseRunConfig({ ...getPreset('grpo').config, steps, seed: 1 });
  return encodeRunFile({ name, createdAt: Date.UTC(2026, 0, 1), config, series: { train, evals }, traces: [], checkpoint: null });
}
