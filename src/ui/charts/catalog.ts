// The lab's charts: what each one draws and a one-line reading guide (the Learn page says more). Charts of
// one method or reward kind come from its About (src/rl/methods/, src/rl/rewards/).
import { METHOD_ABOUT } from '../../rl/methods/about';
import { REWARD_ABOUT } from '../../rl/rewards/about';
import type { Series } from '../store/labStore';
import { trainColumns, type ChartSeries, type LineSpec } from './data';

export interface ChartSpec {
  id: string;
  title: string;
  help: string;
  kind: 'series' | 'passAtK';
  lines: LineSpec[];
  /** Y axis from 0 to at least 1 (rates and accuracies). */
  unit?: boolean;
  /** The Learn page's reading guide, when the chart comes from an About. */
  reading?: string;
}

const train = (metric: string, label: string): LineSpec => ({ metric, label, source: 'train' });
const evalLine = (metric: string, label: string): LineSpec => ({ metric, label, source: 'eval' });

export const CHARTS: ChartSpec[] = [
  {
    id: 'recovery', title: 'Recovery rate', kind: 'series', unit: true,
    help: 'Accuracy when the model must continue from a wrong prefix: on training steps (DenoiseRL) and held out, with the gap to unprefixed accuracy.',
    lines: [train('recovery/rate', 'train'), evalLine('eval/recovery/acc_noise', 'eval'), evalLine('eval/recovery/acc_base', 'eval, no prefix'), evalLine('eval/recovery/gap', 'eval gap')],
  },
  {
    id: 'reward', title: 'Observed vs clean reward', kind: 'series', unit: true,
    help: 'What the trainer was told (observed, maybe noisy) against what was true (clean correctness).',
    lines: [train('reward/observed', 'observed'), { ...train('reward/clean', 'clean'), dashed: true }],
  },
  {
    id: 'passk', title: 'Pass@k', kind: 'passAtK', unit: true,
    help: 'Chance that at least one of k samples is right, at the first and the latest evaluation (k on a log2 axis).',
    lines: [],
  },
  {
    id: 'pass-steps', title: 'Pass@1 and Pass@n over steps', kind: 'series', unit: true,
    help: 'Held-out Pass@1 (one sample), Pass@n (any of n) and greedy accuracy at each evaluation.',
    lines: [evalLine('eval/pass@1', 'Pass@1'), evalLine('eval/pass@n', 'Pass@n'), evalLine('eval/greedy_acc', 'greedy')],
  },
  {
    id: 'stagnation', title: 'Stagnation', kind: 'series', unit: true,
    help: 'Share of prompt groups where no sample was right (no learning signal), and share of training problems ever solved.',
    lines: [train('stagnation/none_pass_frac', 'none-pass groups'), train('stagnation/solved_frac', 'problems solved')],
  },
  ...[...REWARD_ABOUT, ...METHOD_ABOUT].flatMap((a) => a.charts.map((c): ChartSpec => ({ ...c, kind: 'series', lines: c.lines.map((l) => ({ ...l })) }))),
  {
    id: 'kl', title: 'KL', kind: 'series', help: 'k3 estimate of the KL to the frozen initial policy (only when the KL weight beta > 0).',
    lines: [train('kl', 'KL')],
  },
  {
    id: 'entropy', title: 'Entropy', kind: 'series', help: 'Mean per-token entropy of the policy on the trained tokens: falling entropy means sharper, less exploratory sampling.',
    lines: [train('entropy', 'entropy')],
  },
  {
    id: 'length', title: 'Completion length', kind: 'series', help: 'Mean and longest completion, in characters (prefix included).',
    lines: [train('completions/mean_length', 'mean'), train('completions/max_length', 'max')],
  },
  {
    id: 'clip', title: 'Clip ratio', kind: 'series', unit: true, help: 'Share of tokens whose probability ratio hit the PPO clip (zero with one update per batch).',
    lines: [train('clip_ratio/region_mean', 'clipped'), train('clip_ratio/low_mean', 'low'), train('clip_ratio/high_mean', 'high')],
  },
];

/** The train metrics some chart draws. */
export const CHARTED_TRAIN_METRICS: readonly string[] = [
  ...new Set(CHARTS.flatMap((c) => c.lines.filter((l) => l.source === 'train').map((l) => l.metric))),
];

/**
 * A saved run's series cut down to what the charts draw, for the comparison overlay: the charted train
 * metrics as columns (./data.ts: TrainColumns); eval rows, a few per run, stay whole (Pass@k reads all of
 * theirs). Why: four overlaid runs of 3,000 steps kept as row objects were a fifth of the objects in the
 * lab page's heap, and every full garbage collection walks them all (docs/performance.md).
 */
export function chartedSeries(series: Series): ChartSeries {
  return { train: trainColumns(series.train, CHARTED_TRAIN_METRICS), evals: series.evals };
}
