// Chart data from metric series: EMA smoothing, down-sampling, several runs merged by step, Pass@k curves,
// and CSV. Pure functions, so the tests and the CSV export see exactly what the charts draw.
//
// One step numbering in the lab: "step n" is the state after n updates, as the step counter counts. An eval
// row's step already is that; a train row (and a trace) carries the index of its update, so it is drawn at
// index + 1, the count the update brings the run to (TRL logs a train step the same way).
import type { MetricRow } from '../../run/records';
import { isolate } from '../form';
import type { Series } from '../store/labStore';

export interface LineSpec {
  metric: string; // a metric name, or 'eval/pass@n' (the largest k of each eval row)
  label: string;
  source: 'train' | 'eval';
  dashed?: boolean; // drawn dashed (e.g. a line that often sits exactly on another)
}

export interface ChartRun {
  id: string;
  name: string;
  series: Series;
}

export interface ChartLine {
  dataKey: string; // the drawn value (smoothed for train lines when smoothing is on)
  rawKey: string; // the logged value
  smoothed: boolean; // dataKey holds EMA-smoothed values
  name: string;
  color: string;
  dash: string | undefined;
}

export type ChartRow = Record<string, number | null>;

export interface ChartData {
  xKey: string;
  rows: ChartRow[];
  lines: ChartLine[];
}

export const METRIC_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];
export const RUN_COLORS = ['#1f2937', '#2563eb', '#dc2626', '#059669', '#d97706'];
const DASHES = [undefined, '6 3', '2 3', '10 3 2 3'];

export function metricValue(row: MetricRow, metric: string): number | null {
  const key = metric === 'eval/pass@n' ? `eval/pass@${row['eval/n']}` : metric;
  const v = row[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** TensorBoard's debiased EMA: weight 0 is no smoothing; nulls are skipped and stay null. */
export function emaSmooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return [...values];
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null) return null;
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - Math.pow(weight, n));
  });
}

/** At most `max` points, evenly strided, always keeping the last. */
export function downsample<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const stride = Math.ceil(xs.length / max);
  const out = xs.filter((_, i) => i % stride === 0);
  if ((xs.length - 1) % stride !== 0) out.push(xs[xs.length - 1]);
  return out;
}

/** The lab's step of a row: the number of updates done (see the top of this file). */
export const displayStep = (row: { step: number; kind: string }): number => (row.kind === 'eval' ? row.step : row.step + 1);

/** One line per (run, metric); rows merged by step. Train lines are smoothed, eval lines never. */
export function buildSeriesChart(runs: readonly ChartRun[], specs: readonly LineSpec[], smoothing: number, maxPoints = 300): ChartData {
  const byStep = new Map<number, ChartRow>();
  const lines: ChartLine[] = [];
  runs.forEach((run, ri) => {
    specs.forEach((spec, mi) => {
      const rows = spec.source === 'train' ? run.series.train : run.series.evals;
      const pts = rows.map((r) => [displayStep(r), metricValue(r, spec.metric)] as const).filter((p): p is readonly [number, number] => p[1] !== null);
      if (pts.length === 0) return;
      const smoothed = spec.source === 'train' && smoothing > 0;
      const ys = smoothed ? emaSmooth(pts.map((p) => p[1]), smoothing) : pts.map((p) => p[1]);
      const rawKey = `r${ri}m${mi}`;
      const dataKey = smoothed ? `${rawKey}s` : rawKey;
      for (const i of downsample(pts.map((_, i) => i), maxPoints)) {
        const step = pts[i][0];
        const row = byStep.get(step) ?? { step };
        row[rawKey] = pts[i][1];
        row[dataKey] = ys[i];
        byStep.set(step, row);
      }
      const many = runs.length > 1;
      lines.push({
        dataKey, rawKey, smoothed,
        name: many ? `${isolate(run.name)}: ${spec.label}` : spec.label,
        color: many ? RUN_COLORS[ri % RUN_COLORS.length] : METRIC_COLORS[mi % METRIC_COLORS.length],
        dash: many ? DASHES[mi % DASHES.length] : spec.dashed ? '6 3' : undefined,
      });
    });
  });
  return { xKey: 'step', rows: [...byStep.values()].sort((a, b) => (a.step as number) - (b.step as number)), lines };
}

/** Pass@k of one eval row, by k ascending. */
export function passAtK(row: MetricRow): { k: number; value: number }[] {
  const out: { k: number; value: number }[] = [];
  for (const [key, v] of Object.entries(row)) {
    const m = /^eval\/pass@(\d+)$/.exec(key);
    if (m && typeof v === 'number') out.push({ k: Number(m[1]), value: v });
  }
  return out.sort((a, b) => a.k - b.k);
}

/** Pass@k at the first and the latest evaluation of each run. */
export function buildPassAtKChart(runs: readonly ChartRun[]): ChartData {
  const byK = new Map<number, ChartRow>();
  const lines: ChartLine[] = [];
  runs.forEach((run, ri) => {
    const evals = run.series.evals;
    if (evals.length === 0) return;
    const picks: [string, MetricRow][] = [[`step ${evals[evals.length - 1].step}`, evals[evals.length - 1]]];
    if (evals.length > 1) picks.push([`step ${evals[0].step}`, evals[0]]);
    picks.forEach(([label, row], pi) => {
      const dataKey = `r${ri}p${pi}`;
      const rawKey = dataKey;
      for (const { k, value } of passAtK(row)) {
        const r = byK.get(k) ?? { k };
        r[dataKey] = value;
        byK.set(k, r);
      }
      lines.push({
        dataKey, rawKey, smoothed: false,
        name: runs.length > 1 ? `${isolate(run.name)}: ${label}` : label,
        color: runs.length > 1 ? RUN_COLORS[ri % RUN_COLORS.length] : METRIC_COLORS[pi],
        dash: pi === 0 ? undefined : '6 3',
      });
    });
  });
  return { xKey: 'k', rows: [...byK.values()].sort((a, b) => (a.k as number) - (b.k as number)), lines };
}

const csvCell = (s: string) => {
  const plain = s.replace(/[\u2066-\u2069]/g, ''); // bidi isolates are for the screen
  return /[",\n]/.test(plain) ? `"${plain.replace(/"/g, '""')}"` : plain;
};

/**
 * The chart as CSV: the logged values under each line's name, then the smoothed values (where the chart
 * smooths) in columns of their own, named so. Build `data` without down-sampling to get every step.
 */
export function toCsv(data: ChartData, smoothing = 0): string {
  const cols = [
    ...data.lines.map((l) => ({ name: l.name, key: l.rawKey })),
    ...data.lines.filter((l) => l.smoothed).map((l) => ({ name: `${l.name} (smoothed EMA ${smoothing})`, key: l.dataKey })),
  ];
  const head = [data.xKey, ...cols.map((c) => c.name)].map(csvCell).join(',');
  const body = data.rows.map((r) => [r[data.xKey], ...cols.map((c) => r[c.key])].map((v) => (v === null || v === undefined ? '' : String(v))).join(','));
  return [head, ...body].join('\n') + '\n';
}
