// Chart data from metric series: EMA smoothing, down-sampling, several runs merged by step, Pass@k curves,
// and CSV. Pure functions, so the tests and the CSV export see exactly what the charts draw.
//
// One step numbering in the lab: "step n" is the state after n updates, as the step counter counts. An eval
// row's step already is that; a train row (and a trace) carries the index of its update, so it is drawn at
// index + 1, the count the update brings the run to (TRL logs a train step the same way).
import type { MetricRow } from '../../run/records';
import { isolate } from '../form';
import { bucketGrid, summarise, type Bucket, type BucketPoint, type StepRange } from './downsample';

export interface LineSpec {
  metric: string; // a metric name, or 'eval/pass@n' (the largest k of each eval row)
  label: string;
  source: 'train' | 'eval';
  dashed?: boolean; // drawn dashed (e.g. a line that often sits exactly on another)
}

/** One metric's points in step order: the steps as drawn (see displayStep) and the logged values. */
export interface Points {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

/**
 * A saved run's train metrics as columns, one pair of Float64Arrays per charted metric (a saved run never
 * changes). Why: a row object per step holds each of its numbers in a box of its own, and every full garbage
 * collection of the page walks them all (four overlaid runs of 3,000 steps were a fifth of the page's heap
 * objects); a column of doubles is one object. `length` is the number of train rows it was made from.
 */
export interface TrainColumns {
  length: number;
  metrics: ReadonlyMap<string, Points>;
}

/** What a chart reads of a run: the live run's rows, or a saved run's train columns and eval rows. */
export interface ChartSeries {
  train: readonly MetricRow[] | TrainColumns;
  evals: readonly MetricRow[];
}

export interface ChartRun {
  id: string;
  name: string;
  series: ChartSeries;
}

const isColumns = (train: ChartSeries['train']): train is TrainColumns => !Array.isArray(train);

/**
 * A metric's finite values in rows, by step, as two Float64Arrays: their numbers live outside the collector's
 * heap (a typed array's backing store is not walked or moved by a full collection; a number[] of doubles is),
 * and the live run's are made again each time its chart data is (docs/performance.md, "The lab page").
 */
function pointsOf(rows: readonly MetricRow[], metric: string): { xs: Float64Array; ys: Float64Array } {
  let n = 0;
  for (const r of rows) if (metricValue(r, metric) !== null) n++;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let i = 0;
  for (const r of rows) {
    const v = metricValue(r, metric);
    if (v !== null) { xs[i] = displayStep(r); ys[i] = v; i++; }
  }
  return { xs, ys };
}

/** A finished run's train rows as columns, keeping only `metrics` (those with no value are left out). */
export function trainColumns(rows: readonly MetricRow[], metrics: readonly string[]): TrainColumns {
  const out = new Map<string, Points>();
  for (const metric of metrics) {
    const { xs, ys } = pointsOf(rows, metric);
    if (xs.length > 0) out.set(metric, { xs, ys });
  }
  return { length: rows.length, metrics: out };
}

export interface ChartLine {
  key: string; // the line's identity across redraws (run id and metric): what a legend click hides
  dataKey: string; // the drawn value (smoothed for train lines when smoothing is on)
  rawKey: string; // the logged value
  bandKey: string | null; // the key of its band in ChartData.bands (a down-sampled train line)
  smoothed: boolean; // dataKey holds EMA-smoothed values
  name: string;
  color: string;
  dash: string | undefined;
}

export type ChartRow = Record<string, number | null>;

export interface ChartData {
  xKey: string;
  /**
   * One row per bucket of steps: the step, each line's drawn value under its dataKey, and (when no row is
   * down-sampled) its logged value under its rawKey. Only what is drawn: every number in a row is an
   * object of its own on the heap, and recharts keeps several versions of every chart's rows.
   */
  rows: ChartRow[];
  lines: ChartLine[];
  /** Some rows stand for several steps (row.from .. row.step): bands show their logged min and max. */
  downsampled: boolean;
  /** Per bandKey, each row's logged [min, max] in turn (NaN where the line has no point): 2 x rows numbers. */
  bands: ReadonlyMap<string, Float64Array>;
}

export const METRIC_COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2'];
export const RUN_COLORS = ['#1f2937', '#2563eb', '#dc2626', '#059669', '#d97706'];
const DASHES = [undefined, '6 3', '2 3', '10 3 2 3'];

export function metricValue(row: MetricRow, metric: string): number | null {
  const key = metric === 'eval/pass@n' ? `eval/pass@${row['eval/n']}` : metric;
  const v = row[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** TensorBoard's debiased EMA, one value at a time: each call takes the next value and gives it smoothed. */
function emaSmoother(weight: number): (v: number) => number {
  let last = 0;
  let n = 0;
  return (v) => {
    last = last * weight + (1 - weight) * v;
    n++;
    return last / (1 - Math.pow(weight, n));
  };
}

/** TensorBoard's debiased EMA: weight 0 is no smoothing; nulls are skipped and stay null. */
export function emaSmooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return [...values];
  const smooth = emaSmoother(weight);
  return values.map((v) => (v === null ? null : smooth(v)));
}

/** emaSmooth of a column with no gaps (weight > 0), as a Float64Array. */
function smoothColumn(values: ArrayLike<number>, weight: number): Float64Array {
  const smooth = emaSmoother(weight);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = smooth(values[i]);
  return out;
}

/** The lab's step of a row: the number of updates done (see the top of this file). */
export const displayStep = (row: { step: number; kind: string }): number => (row.kind === 'eval' ? row.step : row.step + 1);

interface Extracted extends Points {
  drawn: ArrayLike<number>;
}

const NONE: Points = { xs: [], ys: [] };

/** Per rows array or columns (a saved run's never change): each metric's points and smoothed values, made once. */
const extracted = new WeakMap<object, Map<string, Extracted>>();

function extract(rows: ChartSeries['train'], metric: string, smoothing: number): Extracted {
  let byMetric = extracted.get(rows);
  if (!byMetric) extracted.set(rows, (byMetric = new Map()));
  const key = `${metric}|${smoothing}`;
  let e = byMetric.get(key);
  if (!e) {
    const { xs, ys } = isColumns(rows) ? rows.metrics.get(metric) ?? NONE : pointsOf(rows, metric);
    e = { xs, ys, drawn: smoothing > 0 ? smoothColumn(ys, smoothing) : ys };
    byMetric.set(key, e);
  }
  return e;
}

/**
 * Per line as extracted: its summary on the last grid it was put on. A saved run's line is the same object
 * from draw to draw, and so is the grid until the steps' span, the width or the zoom changes: its buckets
 * are not summarised again each time the live run gets a point.
 */
const summaries = new WeakMap<Extracted, { grid: string; sums: readonly (BucketPoint | null)[] }>();

function summaryOf(line: Extracted, grid: readonly Bucket[], gridKey: string): readonly (BucketPoint | null)[] {
  const was = summaries.get(line);
  if (was && was.grid === gridKey) return was.sums;
  const sums = summarise(line.xs, line.ys, line.drawn, grid);
  summaries.set(line, { grid: gridKey, sums });
  return sums;
}

export interface SeriesOptions {
  /** Buckets over the whole step span (and as many more inside `zoom`); Infinity: every step its own row. */
  maxPoints?: number;
  zoom?: StepRange | null;
}

/**
 * One line per (run, metric), on one row per bucket of steps (./downsample.ts): train lines smoothed, eval
 * lines never. A row holds, per line, the value at the bucket's last logged step; when a bucket holds
 * several steps the row says so (`from`) and train lines carry their logged min and max (`bandKey`).
 */
export function buildSeriesChart(runs: readonly ChartRun[], specs: readonly LineSpec[], smoothing: number, options: SeriesOptions = {}): ChartData {
  const { maxPoints = 300, zoom = null } = options;
  const lines: ChartLine[] = [];
  const raw: Extracted[] = [];
  let min = Infinity;
  let max = -Infinity;
  runs.forEach((run, ri) => {
    specs.forEach((spec, mi) => {
      const smoothed = spec.source === 'train' && smoothing > 0;
      const line = extract(spec.source === 'train' ? run.series.train : run.series.evals, spec.metric, smoothed ? smoothing : 0);
      if (line.xs.length === 0) return;
      min = Math.min(min, line.xs[0]);
      max = Math.max(max, line.xs[line.xs.length - 1]);
      raw.push(line);
      const rawKey = `r${ri}m${mi}`;
      const many = runs.length > 1;
      lines.push({
        key: `${run.id}|${spec.source}|${spec.metric}`, dataKey: smoothed ? `${rawKey}s` : rawKey, rawKey, bandKey: spec.source === 'train' ? `${rawKey}b` : null, smoothed,
        name: many ? `${isolate(run.name)}: ${spec.label}` : spec.label,
        color: many ? RUN_COLORS[ri % RUN_COLORS.length] : METRIC_COLORS[mi % METRIC_COLORS.length],
        dash: many ? DASHES[mi % DASHES.length] : spec.dashed ? '6 3' : undefined,
      });
    });
  });
  const grid = lines.length ? bucketGrid(min, max, maxPoints, zoom) : [];
  const gridKey = `${min}|${max}|${maxPoints}|${zoom ? `${zoom.from}|${zoom.to}` : ''}`; // what bucketGrid made it from
  const downsampled = grid.some((b) => b.to > b.from);
  const sums = raw.map((l) => summaryOf(l, grid, gridKey));
  const rows: ChartRow[] = [];
  const kept: number[] = []; // the grid bucket of each row
  grid.forEach((_, b) => {
    let row: ChartRow | null = null;
    let first = Infinity;
    lines.forEach((line, li) => {
      const p = sums[li][b];
      if (p === null) return;
      row ??= { step: p.x };
      row.step = Math.max(row.step as number, p.x);
      first = Math.min(first, p.first);
      if (!downsampled) row[line.rawKey] = p.y; // drawn faintly behind a smoothed line; a down-sampled one has its band
      row[line.dataKey] = p.drawn;
    });
    if (row === null) return;
    if (downsampled) (row as ChartRow).from = first;
    rows.push(row);
    kept.push(b);
  });
  const bands = new Map<string, Float64Array>();
  lines.forEach((line, li) => {
    if (!downsampled) line.bandKey = null;
    if (line.bandKey === null) return;
    const band = new Float64Array(2 * rows.length).fill(Number.NaN);
    kept.forEach((b, i) => {
      const p = sums[li][b];
      if (p !== null) { band[2 * i] = p.min; band[2 * i + 1] = p.max; }
    });
    bands.set(line.bandKey, band);
  });
  return { xKey: 'step', rows, lines, downsampled, bands };
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
        key: `${run.id}|pass@k|${pi === 0 ? 'latest' : 'first'}`, dataKey, rawKey, bandKey: null, smoothed: false,
        name: runs.length > 1 ? `${isolate(run.name)}: ${label}` : label,
        color: runs.length > 1 ? RUN_COLORS[ri % RUN_COLORS.length] : METRIC_COLORS[pi],
        dash: pi === 0 ? undefined : '6 3',
      });
    });
  });
  return { xKey: 'k', rows: [...byK.values()].sort((a, b) => (a.k as number) - (b.k as number)), lines, downsampled: false, bands: new Map() };
}

const csvCell = (s: string) => {
  const plain = s.replace(/[\u2066-\u2069]/g, ''); // bidi isolates are for the screen
  return /[",\n]/.test(plain) ? `"${plain.replace(/"/g, '""')}"` : plain;
};

/**
 * The chart as CSV: the logged values under each line's name, then the smoothed values (where the chart
 * smooths) in columns of their own, named so. Build `data` with maxPoints Infinity to get every step.
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
