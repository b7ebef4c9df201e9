// Pure aggregation of finished runs: one number per run (a table cell's reduction), then mean, spread and
// standard error over seeds; curves over steps with a min-max band; paired differences between variants.
// No I/O here, so every number in docs/results.md can be recomputed from the raw metrics by these functions.
import { mean, std } from '../../rl/metrics';
import type { MetricRow } from '../../run/records';
import type { Column, Reduce } from './spec';

export interface Summary {
  n: number;
  mean: number;
  std: number; // Bessel, over seeds
  se: number; // std / sqrt(n)
  min: number;
  max: number;
}

export function summarize(xs: readonly number[]): Summary | null {
  const v = xs.filter(Number.isFinite);
  if (v.length === 0) return null;
  const s = std(v);
  return { n: v.length, mean: mean(v), std: s, se: s / Math.sqrt(v.length), min: Math.min(...v), max: Math.max(...v) };
}

/** (step, value) of one metric in one run, finite values only, in step order. */
export function seriesOf(rows: readonly MetricRow[], metric: string, kind: 'train' | 'eval'): { step: number; value: number }[] {
  const out: { step: number; value: number }[] = [];
  for (const r of rows) {
    const v = r[metric];
    if (r.kind === kind && typeof v === 'number' && Number.isFinite(v)) out.push({ step: r.step, value: v });
  }
  return out.sort((a, b) => a.step - b.step);
}

/** Trailing moving average (window 1 = unchanged): per-step train metrics are too noisy to read raw. */
export function smooth(values: readonly number[], window: number): number[] {
  const w = Math.max(1, Math.floor(window));
  return values.map((_, i) => mean(values.slice(Math.max(0, i - w + 1), i + 1)));
}

/** One run's number for a table cell, or null when the run did not log the metric. */
export function reduceRun(rows: readonly MetricRow[], col: Pick<Column, 'metric' | 'kind'> & { reduce: Reduce }): number | null {
  const s = seriesOf(rows, col.metric, col.kind);
  if (s.length === 0) return null;
  const r = col.reduce;
  switch (r.at) {
    case 'initial': return s[0].value;
    case 'final': return s[s.length - 1].value;
    case 'delta': return s[s.length - 1].value - s[0].value;
    case 'firstWindow': return mean(s.slice(0, r.window).map((p) => p.value));
    case 'lastWindow': return mean(s.slice(-r.window).map((p) => p.value));
    case 'peak':
    case 'rise': {
      const v = s.map((p) => p.value);
      // full windows only: a trailing average over the first few steps is one noisy value, not a peak
      const sm = col.kind === 'eval' ? v : smooth(v, r.window);
      const peak = Math.max(...(col.kind === 'eval' ? v : sm.length >= r.window ? sm.slice(r.window - 1) : [mean(v)]));
      return r.at === 'peak' ? peak : peak - mean(v.slice(0, r.window));
    }
  }
}

export interface BandPoint {
  x: number;
  mean: number;
  min: number;
  max: number;
}

/** Mean and min-max over runs at each step every run logged (train metrics smoothed per run first). */
export function band(runs: readonly (readonly MetricRow[])[], metric: string, kind: 'train' | 'eval', smoothWindow = 1): BandPoint[] {
  const perRun = runs.map((rows) => {
    const s = seriesOf(rows, metric, kind);
    const v = kind === 'train' ? smooth(s.map((p) => p.value), smoothWindow) : s.map((p) => p.value);
    return new Map(s.map((p, i) => [p.step, v[i]]));
  }).filter((m) => m.size > 0);
  if (perRun.length === 0) return [];
  const steps = [...perRun[0].keys()].filter((x) => perRun.every((m) => m.has(x))).sort((a, b) => a - b);
  return steps.map((x) => {
    const vs = perRun.map((m) => m.get(x)!);
    return { x, mean: mean(vs), min: Math.min(...vs), max: Math.max(...vs) };
  });
}

/** Two-sided 95% critical values of Student's t, by degrees of freedom (1..10; beyond, the normal value). */
const T95 = [12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];
export const tCritical95 = (df: number): number => (df >= 1 && df <= T95.length ? T95[df - 1] : 1.96);

export interface PairedDiff {
  n: number; // seeds both variants finished
  mean: number; // mean over seeds of (a - b)
  se: number;
  t: number; // mean / se (Infinity when every seed agrees exactly and the mean is not 0)
  verdict: 'resolved' | 'not resolved';
}

/**
 * Difference a - b paired by seed (same seed = same training prompts and sampling streams, so pairing removes
 * shared noise). 'resolved' means the 95% t interval excludes 0; with 3 seeds that needs |t| > 4.3.
 */
export function pairedDiff(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): PairedDiff | null {
  const d = [...a.keys()].filter((s) => b.has(s)).map((s) => a.get(s)! - b.get(s)!).filter(Number.isFinite);
  if (d.length === 0) return null;
  const m = mean(d);
  const se = d.length > 1 ? std(d) / Math.sqrt(d.length) : NaN;
  const t = se > 0 ? m / se : m === 0 ? 0 : d.length > 1 ? Infinity : NaN;
  const verdict = d.length > 1 && Math.abs(t) > tCritical95(d.length - 1) ? 'resolved' : 'not resolved';
  return { n: d.length, mean: m, se, t, verdict };
}

/** "0.312 ± 0.021" (mean ± sd over seeds); "–" when there is nothing to show. */
export function formatSummary(s: Summary | null, digits = 3): string {
  if (!s) return '–';
  return s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

/** Upper bound of the standard error of a held-out accuracy p over P problems (samples within a problem correlate). */
export function evalStderrBound(p: number, problems: number): number {
  return Math.sqrt(Math.max(0, p * (1 - p)) / Math.max(1, problems));
}
