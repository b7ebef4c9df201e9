// Resuming: a job whose done.json exists (with the same config) is skipped; an unfinished job, or one whose
// suite config changed since, runs again from the start. Runs in this thread on the random-init micro model.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDone, readMetrics, suiteJobs } from '../../../src/cli/experiments/jobs';
import { runJobs } from '../../../src/cli/experiments/runner';
import type { SuiteSpec } from '../../../src/cli/experiments/spec';

const runsDir = join('test-output', 'experiments-resume');
const suite = (lr: number): SuiteSpec => ({
  name: 'resume', title: '', claim: '', setup: '',
  base: { model: 'micro', promptsPerStep: 2, groupSize: 2, maxCompletionLength: 36, steps: 3, evalEvery: 2, evalProblems: 4, evalSamples: 2, evalPrefixProblems: 0, tracesPerStep: 0 },
  variants: [{ name: 'a', label: 'a', config: { lr } }, { name: 'b', label: 'b', config: { lr: 1e-4 } }],
  seeds: [1], columns: [], charts: [], comparisons: [],
});

describe('experiment resume', () => {
  it('skips finished jobs and re-runs unfinished or changed ones', async () => {
    rmSync(runsDir, { recursive: true, force: true });
    const jobs = suiteJobs(suite(1e-4), runsDir);
    const first = await runJobs(jobs, { workers: 0, quiet: true });
    expect(first.ran.sort()).toEqual(['resume/a/seed1', 'resume/b/seed1']);
    expect(first.failed).toEqual([]);
    for (const j of jobs) {
      expect(isDone(j)).toBe(true);
      const rows = readMetrics(j)!;
      expect(rows.filter((r) => r.kind === 'train')).toHaveLength(3);
      expect(rows.filter((r) => r.kind === 'eval').map((r) => r.step)).toEqual([0, 2, 3]); // step 0, every evalEvery, last
    }
    const doneA = statSync(join(jobs[0].dir, 'done.json')).mtimeMs;
    // everything but wall-clock timings is a function of the seed
    const untimed = () => readMetrics(jobs[1])!.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !/time|tokens_per_s/.test(k))));
    const metricsB = untimed();

    const again = await runJobs(jobs, { workers: 0, quiet: true });
    expect(again.ran).toEqual([]);
    expect(again.skipped.sort()).toEqual(['resume/a/seed1', 'resume/b/seed1']);
    expect(statSync(join(jobs[0].dir, 'done.json')).mtimeMs).toBe(doneA);

    // interrupted: no done.json -> run again; the other job is untouched
    rmSync(join(jobs[1].dir, 'done.json'));
    expect(isDone(jobs[1])).toBe(false);
    const resumed = await runJobs(jobs, { workers: 0, quiet: true });
    expect(resumed.ran).toEqual(['resume/b/seed1']);
    expect(untimed()).toEqual(metricsB); // seeded: the same run again

    // a changed config makes the finished run stale
    const changed = suiteJobs(suite(2e-4), runsDir);
    expect(isDone(changed[0])).toBe(false);
    expect(isDone(changed[1])).toBe(true);
    const rerun = await runJobs(changed, { workers: 0, quiet: true });
    expect(rerun.ran).toEqual(['resume/a/seed1']);
    expect(JSON.parse(readFileSync(join(changed[0].dir, 'config.json'), 'utf8')).lr).toBe(2e-4);
    expect(existsSync(join(changed[0].dir, 'done.json'))).toBe(true);
  });
});
