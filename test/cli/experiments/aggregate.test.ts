// The numbers behind docs/results.md: per-run reductions, mean/std/stderr over seeds, paired differences,
// curves with a min-max band, and the generated tables read from runs on disk.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { band, formatSummary, pairedDiff, reduceRun, smooth, summarize } from '../../../src/cli/experiments/aggregate';
import { suiteJobs } from '../../../src/cli/experiments/jobs';
import { writeReport } from '../../../src/cli/experiments/report';
import type { SuiteSpec } from '../../../src/cli/experiments/spec';
import type { MetricRow } from '../../../src/run/records';

const evalRow = (step: number, p1: number): MetricRow => ({ step, kind: 'eval', 'eval/pass@1': p1 });
const trainRow = (step: number, r: number | null): MetricRow => ({ step, kind: 'train', 'reward/clean': r });

describe('summaries over seeds', () => {
  it('gives mean, Bessel std, stderr, min and max, ignoring non-finite values', () => {
    const s = summarize([0.1, 0.2, 0.3, NaN])!;
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.2, 12);
    expect(s.std).toBeCloseTo(0.1, 12);
    expect(s.se).toBeCloseTo(0.1 / Math.sqrt(3), 12);
    expect([s.min, s.max]).toEqual([0.1, 0.3]);
    expect(summarize([])).toBeNull();
    expect(formatSummary(s)).toBe('0.200 ± 0.100');
    expect(formatSummary(summarize([0.5]))).toBe('0.500');
    expect(formatSummary(null)).toBe('–');
  });

  it('reduces a run to initial, final, delta, windows and peak', () => {
    const rows = [evalRow(0, 0.2), trainRow(0, 0), trainRow(1, 1), trainRow(2, null), trainRow(3, 0.5), evalRow(4, 0.35)];
    const col = (reduce: Parameters<typeof reduceRun>[1]['reduce'], kind: 'train' | 'eval' = 'eval') =>
      reduceRun(rows, { metric: kind === 'eval' ? 'eval/pass@1' : 'reward/clean', kind, reduce });
    expect(col({ at: 'initial' })).toBe(0.2);
    expect(col({ at: 'final' })).toBe(0.35);
    expect(col({ at: 'delta' })).toBeCloseTo(0.15, 12);
    expect(col({ at: 'lastWindow', window: 2 }, 'train')).toBeCloseTo(0.75, 12); // the null step is skipped
    expect(col({ at: 'firstWindow', window: 2 }, 'train')).toBeCloseTo(0.5, 12);
    expect(col({ at: 'peak', window: 2 }, 'train')).toBeCloseTo(0.75, 12); // full 2-step windows: 0.5, 0.75
    expect(col({ at: 'rise', window: 2 }, 'train')).toBeCloseTo(0.25, 12); // minus the first window's 0.5
    expect(col({ at: 'peak', window: 1 })).toBe(0.35);
    expect(reduceRun(rows, { metric: 'nope', kind: 'eval', reduce: { at: 'final' } })).toBeNull();
    expect(smooth([0, 1, 2, 3], 2)).toEqual([0, 0.5, 1.5, 2.5]);
  });

  it('bands runs at the steps they share, with mean, min and max', () => {
    const runs = [[evalRow(0, 0.2), evalRow(10, 0.4)], [evalRow(0, 0.4), evalRow(10, 0.6), evalRow(20, 0.9)]];
    const b = band(runs, 'eval/pass@1', 'eval');
    expect(b.map((p) => p.x)).toEqual([0, 10]);
    expect(b[1].mean).toBeCloseTo(0.5, 12);
    expect([b[1].min, b[1].max]).toEqual([0.4, 0.6]);
  });

  it('pairs differences by seed and resolves them only when the t-interval excludes 0', () => {
    const a = new Map([[1, 0.5], [2, 0.52], [3, 0.51], [4, 0.9]]);
    const b = new Map([[1, 0.3], [2, 0.31], [3, 0.3]]);
    const d = pairedDiff(a, b)!;
    expect(d.n).toBe(3); // seed 4 has no partner
    expect(d.mean).toBeCloseTo(0.2067, 3);
    expect(d.verdict).toBe('resolved');
    const noisy = pairedDiff(new Map([[1, 0.5], [2, 0.1], [3, 0.4]]), new Map([[1, 0.3], [2, 0.3], [3, 0.3]]))!;
    expect(noisy.verdict).toBe('not resolved');
    expect(pairedDiff(new Map(), b)).toBeNull();
  });
});

describe('the generated report', () => {
  const runsDir = join('test-output', 'experiments-report', 'runs');
  const outDir = join('test-output', 'experiments-report', 'docs');
  const suite: SuiteSpec = {
    name: 'toy', title: 'Toy suite', claim: 'A beats B.', setup: 'Fake runs.', base: { model: 'micro', steps: 4, lr: 1e-4 },
    variants: [{ name: 'a', label: 'A', config: {} }, { name: 'b', label: 'B', config: { lr: 2e-4 } }],
    seeds: [1, 2, 3],
    columns: [{ label: 'Pass@1 after', metric: 'eval/pass@1', kind: 'eval', reduce: { at: 'final' } }],
    charts: [{ id: 'pass1', title: 'Pass@1', metric: 'eval/pass@1', kind: 'eval' }],
    comparisons: [{ a: 'a', b: 'b', column: 0, claim: 'A beats B' }],
  };

  it('tabulates mean ± sd over seeds, the paired comparison, charts and raw metrics', () => {
    rmSync(join('test-output', 'experiments-report'), { recursive: true, force: true });
    const finals: Record<string, number[]> = { a: [0.5, 0.6, 0.7], b: [0.3, 0.35, 0.4] };
    for (const job of suiteJobs(suite, runsDir)) {
      mkdirSync(job.dir, { recursive: true });
      writeFileSync(join(job.dir, 'config.json'), JSON.stringify(job.config, null, 2) + '\n');
      const rows = [evalRow(0, 0.2), trainRow(0, 0.1), evalRow(4, finals[job.variant][job.seed - 1])];
      writeFileSync(join(job.dir, 'metrics.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      writeFileSync(join(job.dir, 'done.json'), JSON.stringify({ commit: 'abc1234', steps: 4, wallSeconds: 6, finalEval: null }));
    }
    const file = writeReport({ runsDir, outDir, name: 'results', title: 'Toy results', suites: [suite], commit: 'abc1234', workers: 2 });
    const md = readFileSync(file, 'utf8');
    expect(md).toContain('# Toy results');
    expect(md).toContain('| A | 0.600 ± 0.100 |');
    expect(md).toContain('| B | 0.350 ± 0.050 |');
    // paired differences 0.2, 0.25, 0.3: mean 0.25, se 0.05/sqrt(3)
    expect(md).toContain(`+0.250 ± ${(0.05 / Math.sqrt(3)).toFixed(3)}`);
    expect(md).toContain('`npm run experiment -- --suite toy` · seeds 1, 2, 3 · commit `abc1234`');
    expect(md).toContain('| toy | 2 × 3 | 4 |');
    expect(md).toContain('| 0.6 min | 0.3 min |'); // 6 runs x 6 s of compute, over 2 workers
    expect(md).toContain('![Pass@1; mean over seeds, band = min-max](results/toy-pass1.svg)');
    expect(readFileSync(join(outDir, 'results', 'toy-pass1.svg'), 'utf8')).toContain('<svg');
    const raw = readFileSync(join(outDir, 'results', 'raw', 'toy.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(raw).toHaveLength(18);
    expect(raw[0]).toMatchObject({ variant: 'a', seed: 1, step: 0, kind: 'eval' });
  });

  it('says which runs are missing instead of reporting partial numbers silently', () => {
    rmSync(join(runsDir, 'toy', 'b', 'seed3', 'done.json'));
    const md = readFileSync(writeReport({ runsDir, outDir, name: 'results', title: 'Toy', suites: [suite], commit: 'x', workers: 2 }), 'utf8');
    expect(md).toContain('1 of 6 runs have not finished (toy/b/seed3)');
    expect(md).toContain('| B | 0.325 ± 0.035 |');
  });
});
