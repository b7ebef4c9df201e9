import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../../src/run/records';
import { buildPassAtKChart, buildSeriesChart, downsample, emaSmooth, passAtK, toCsv } from '../../src/ui/charts/data';

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

  it('down-samples evenly and keeps the last point', () => {
    const xs = Array.from({ length: 1001 }, (_, i) => i);
    const d = downsample(xs, 100);
    expect(d.length).toBeLessThanOrEqual(102);
    expect(d[0]).toBe(0);
    expect(d[d.length - 1]).toBe(1000);
    expect(downsample([1, 2], 10)).toEqual([1, 2]);
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
