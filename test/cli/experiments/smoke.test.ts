// CI's smoke suite: one short run of each method on two worker threads, from the shipped micro 'weaker'
// checkpoint, through the same entry point as `npm run experiment -- --suite smoke`. It checks that every
// metric is finite and that the result files are written; it says nothing about any paper's claim.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/cli/experiment';
import { readMetrics, suiteJobs } from '../../../src/cli/experiments/jobs';
import { getSuite } from '../../../src/cli/experiments/suites';

const root = join('test-output', 'experiments-smoke');

describe('smoke suite', () => {
  it('runs every method with finite metrics and writes the report, charts and raw metrics', async () => {
    rmSync(root, { recursive: true, force: true });
    const suite = getSuite('smoke');
    const runsDir = join(root, 'runs');
    const { summary, report } = await runExperiment({
      suites: [suite], runsDir, outDir: root, reportName: 'smoke-results', workers: 2, command: 'vitest smoke', quiet: true,
    });
    expect(summary!.failed).toEqual([]);
    expect(summary!.ran).toHaveLength(suite.variants.length * suite.seeds.length);

    for (const job of suiteJobs(suite, runsDir)) {
      const rows = readMetrics(job);
      expect(rows, job.id).not.toBeNull();
      expect(rows!.filter((r) => r.kind === 'train')).toHaveLength(suite.base.steps!);
      expect(rows!.filter((r) => r.kind === 'eval').map((r) => r.step)).toEqual([0, 2, 4]);
      for (const r of rows!) {
        for (const [k, v] of Object.entries(r)) {
          if (typeof v === 'number') expect(Number.isFinite(v), `${job.id} step ${r.step} ${k}`).toBe(true);
        }
      }
      const last = rows!.filter((r) => r.kind === 'train').at(-1)!;
      if (job.variant === 'denoise') expect(last['recovery/prefix_error_frac']).not.toBeNull();
      if (job.variant === 'srt') expect(last['srt/majority_share']).not.toBeNull();
      if (job.variant === 'lte') expect(last['lte/hinted_groups']).not.toBeNull();
    }

    expect(report).toBe(join(root, 'smoke-results.md'));
    const md = readFileSync(report, 'utf8');
    for (const v of suite.variants) expect(md).toContain(`| ${v.label} |`);
    expect(md).not.toMatch(/NaN|Infinity/);
    expect(existsSync(join(root, 'smoke-results', 'smoke-reward.svg'))).toBe(true);
    expect(readFileSync(join(root, 'smoke-results', 'raw', 'smoke.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThan(20);
    expect(readFileSync(join(runsDir, 'invocations.jsonl'), 'utf8')).toContain('"command":"vitest smoke"');
  }, 180_000);
});
