import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../../src/run/records';
import { buildPassAtKChart, buildSeriesChart, emaSmooth, passAtK, toCsv, type ChartSeries, type TrainColumns } from '../../src/ui/charts/data';
import { CHARTED_TRAIN_METRICS, CHARTS, chartedSeries } from '../../src/ui/charts/catalog';

const train = (step: number, v: number | null): MetricRow => ({ step, kind: 'train', 'reward/clean': v });
const evalRow = (step: number, n: number): MetricRow => ({ step, kind: 'eval', 'eval/n': n, 'eval/pass@1': 0.1 * step, 'eval/pass@2': 0.3, 'eval/pass@4': 0.5 });

describe('chart data', () => {
  it('EMA: 0 is identity, debiased from the first value, nulls kept', () => {
    expect(emaSmooth([1, 2, null, 3], 0)).toEqual([1, 2, null, 3]);
    const s = emaSmooth([1, 1, null, 1], 0.9);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo(1, 12);
    expect(s[2]).toBeNull();
    expect(emaSmooth([0, 1], 0.5)[1]).toBeCloseTo(0.5 / 0.75, 12);
  });

  it('a long series is drawn on about maxPoints rows, keeping each bucket\'s last value, min and max; the CSV keeps every step', () => {
    const ys = Array.from({ length: 5000 }, (_, i) => (i === 2345 ? 9 : Math.sin(i / 100)));
    const run = { id: 'a', name: 'A', series: { train: ys.map((v, i) => train(i, v)), evals: [] } };
    const spec = [{ metric: 'reward/clean', label: 'clean', source: 'train' as const }];
    const d = buildSeriesChart([run], spec, 0.6, { maxPoints: 100 });
    expect(d.downsampled).toBe(true);
    expect(d.rows.length).toBeLessThanOrEqual(100);
    expect(d.rows.length).toBeGreaterThanOrEqual(95);
    const line = d.lines[0];
    expect(line.bandKey).not.toBeNull();
    // the spike at update 2345 (drawn at step 2346) survives in its bucket's band, not in the last value
    const spikeRow = d.rows.find((r) => (r.from as number) <= 2346 && 2346 <= (r.step as number))!;
    const band = d.bands.get(line.bandKey!)!;
    expect(band).toHaveLength(2 * d.rows.length);
    expect(band[2 * d.rows.indexOf(spikeRow) + 1]).toBe(9);
    expect(spikeRow[line.dataKey]).not.toBe(9);
    expect(spikeRow).not.toHaveProperty(line.rawKey); // a down-sampled row carries only what is drawn
    // the drawn value is the smoothed series at the row's step, exactly
    const smooth = emaSmooth(ys, 0.6);
    expect(spikeRow[line.dataKey]).toBe(smooth[(spikeRow.step as number) - 1]);
    expect(d.rows[d.rows.length - 1].step).toBe(5000); // the last step is always drawn
    const full = buildSeriesChart([run], spec, 0.6, { maxPoints: Infinity });
    expect(full.downsampled).toBe(false);
    expect(full.rows.length).toBe(5000);
    expect(full.lines[0].bandKey).toBeNull();
    expect(toCsv(full, 0.6).trim().split('\n')).toHaveLength(5001);
  });

  it('a zoomed range gets rows of its own: one per step inside it, coarse outside', () => {
    const run = { id: 'a', name: 'A', series: { train: Array.from({ length: 3000 }, (_, i) => train(i, i)), evals: [] } };
    const d = buildSeriesChart([run], [{ metric: 'reward/clean', label: 'clean', source: 'train' }], 0, { maxPoints: 100, zoom: { from: 1001, to: 1050 } });
    const inside = d.rows.filter((r) => (r.step as number) >= 1001 && (r.step as number) <= 1050);
    expect(inside.map((r) => r.step)).toEqual(Array.from({ length: 50 }, (_, i) => 1001 + i));
    expect(d.rows.length).toBeLessThan(200);
  });

  it("a line's buckets, reused while its grid stays, give what a fresh build gives when the grid changes", () => {
    const rows = Array.from({ length: 3000 }, (_, i) => train(i, Math.sin(i)));
    const spec = [{ metric: 'reward/clean', label: 'clean', source: 'train' as const }];
    const a = { id: 'a', name: 'A', series: { train: rows, evals: [] } };
    const b = { id: 'a', name: 'A', series: { train: [...rows], evals: [] } }; // the same rows, another array: nothing cached
    const zoom = { from: 1001, to: 1050 };
    const once = buildSeriesChart([a], spec, 0.6, { maxPoints: 100 });
    expect(buildSeriesChart([a], spec, 0.6, { maxPoints: 100 })).toEqual(once); // the grid unchanged: reused
    expect(buildSeriesChart([a], spec, 0.6, { maxPoints: 100, zoom })).toEqual(buildSeriesChart([b], spec, 0.6, { maxPoints: 100, zoom }));
    expect(buildSeriesChart([a], spec, 0.6, { maxPoints: 60 })).toEqual(buildSeriesChart([b], spec, 0.6, { maxPoints: 60 }));
    expect(buildSeriesChart([a], spec, 0.6, { maxPoints: 100 })).toEqual(once);
  });

  it('overlaid runs share rows: a bucket holds every line\'s value', () => {
    const mk = (id: string, n: number) => ({ id, name: id, series: { train: Array.from({ length: n }, (_, i) => train(i, i % 7)), evals: [] } });
    const d = buildSeriesChart([mk('a', 4000), mk('b', 4000), mk('c', 2000)], [{ metric: 'reward/clean', label: 'clean', source: 'train' }], 0.5, { maxPoints: 200 });
    expect(d.rows.length).toBeLessThanOrEqual(200);
    for (const r of d.rows) expect(typeof r[d.lines[0].dataKey]).toBe('number');
    expect(d.lines.map((l) => l.key)).toEqual(['a|train|reward/clean', 'b|train|reward/clean', 'c|train|reward/clean']);
  });

  it('merges runs by step, one line per run and metric, skipping metrics a run lacks', () => {
    const a = { id: 'a', name: 'A', series: { train: [train(0, 0), train(1, 1)], evals: [evalRow(0, 4)] } };
    const b = { id: 'b', name: 'B', series: { train: [train(1, 0.5), train(2, null)], evals: [] } };
    const d = buildSeriesChart([a, b], [{ metric: 'reward/clean', label: 'clean', source: 'train' }, { metric: 'eval/pass@n', label: 'Pass@n', source: 'eval' }], 0);
    expect(d.lines.map((l) => l.name)).toEqual(['\u2068A\u2069: clean', '\u2068A\u2069: Pass@n', '\u2068B\u2069: clean']); // run names isolated
    // one numbering: a train row of update i is drawn at step i + 1 (the step counter after it), an eval at its step
    expect(d.rows).toEqual([{ step: 0, r0m1: 0.5 }, { step: 1, r0m0: 0 }, { step: 2, r0m0: 1, r1m0: 0.5 }]);
    expect(toCsv(d)).toBe('step,A: clean,A: Pass@n,B: clean\n0,,0.5,\n1,0,,\n2,1,,0.5\n');
  });

  it('CSV: the logged values under the series names, the smoothed ones in their own named columns', () => {
    const a = { id: 'a', name: 'A', series: { train: [train(0, 0), train(1, 1), train(2, 0)], evals: [] } };
    const d = buildSeriesChart([a], [{ metric: 'reward/clean', label: 'clean', source: 'train' }], 0.5);
    const smoothed = emaSmooth([0, 1, 0], 0.5);
    expect(toCsv(d, 0.5)).toBe(`step,clean,clean (smoothed EMA 0.5)\n1,0,${smoothed[0]}\n2,1,${smoothed[1]}\n3,0,${smoothed[2]}\n`);
    expect(smoothed[1]).not.toBe(1); // the smoothed column really differs from the raw one
  });

  it('Pass@k: sorted by k, first and latest evaluation', () => {
    expect(passAtK(evalRow(3, 4)).map((p) => p.k)).toEqual([1, 2, 4]);
    const d = buildPassAtKChart([{ id: 'a', name: 'A', series: { train: [], evals: [evalRow(0, 4), evalRow(5, 4)] } }]);
    expect(d.lines.map((l) => l.name)).toEqual(['step 5', 'step 0']);
    expect(d.rows[0]).toEqual({ k: 1, r0p0: 0.5, r0p1: 0 });
  });
});

describe('the comparison overlay keeps only what the charts draw', () => {
  const train: MetricRow[] = Array.from({ length: 40 }, (_, step) => {
    const row: MetricRow = { step, kind: 'train', 'gpu/bytes_held': 1e6, 'time/update': 3.5, step_time: 0.9 };
    CHARTED_TRAIN_METRICS.forEach((m, i) => { if ((step + i) % 7 !== 0) row[m] = step === 13 && i === 0 ? Number.NaN : Math.sin(step * (i + 1)); }); // some metrics missing on some rows, one not finite
    return row;
  });
  const evals: MetricRow[] = [0, 20, 40].map((step) => ({ step, kind: 'eval', 'eval/n': 8, 'eval/pass@1': step / 100, 'eval/pass@8': 0.5 + step / 100, 'eval/greedy_acc': 0.4 }));
  const full = { train, evals };
  const cut = chartedSeries(full);

  it('keeps the charted train metrics as columns of doubles, and eval rows whole', () => {
    expect(CHARTED_TRAIN_METRICS.length).toBeGreaterThan(5);
    const columns = cut.train as TrainColumns;
    expect(Array.isArray(columns)).toBe(false);
    expect(columns.length).toBe(train.length);
    expect([...columns.metrics.keys()].sort()).toEqual([...CHARTED_TRAIN_METRICS].sort());
    expect(columns.metrics.has('gpu/bytes_held')).toBe(false);
    for (const { xs, ys } of columns.metrics.values()) {
      expect(xs).toBeInstanceOf(Float64Array);
      expect(ys).toBeInstanceOf(Float64Array);
      expect(xs.length).toBe(ys.length);
      expect(xs.length).toBeLessThan(train.length); // the missing values are left out
    }
    expect(cut.evals).toBe(full.evals);
  });

  it('draws every chart exactly as the whole series does', () => {
    const runs = (series: ChartSeries) => [{ id: 'a', name: 'run a', series }];
    for (const spec of CHARTS) {
      const a = spec.kind === 'passAtK' ? buildPassAtKChart(runs(full)) : buildSeriesChart(runs(full), spec.lines, 0.6, { maxPoints: 16 });
      const b = spec.kind === 'passAtK' ? buildPassAtKChart(runs(cut)) : buildSeriesChart(runs(cut), spec.lines, 0.6, { maxPoints: 16 });
      expect(b, spec.id).toEqual(a);
      if (spec.kind === 'series') expect(toCsv(buildSeriesChart(runs(cut), spec.lines, 0.6, { maxPoints: Infinity }), 0.6), spec.id).toBe(toCsv(buildSeriesChart(runs(full), spec.lines, 0.6, { maxPoints: Infinity }), 0.6));
    }
  });
});
