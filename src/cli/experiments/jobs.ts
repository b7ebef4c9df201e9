// One experiment job = one training run, written to <runs>/<suite>/<variant>/seed<S>/:
//   config.json   the full, validated run config
//   metrics.jsonl train and eval rows (eval at step 0, every evalEvery steps and at the last step, as train.ts)
//   done.json     written last, only when the run finished: its presence is what makes a re-run skip the job
// A job that was interrupted has no done.json and is run again from step 0 (runs are minutes long, so
// job-level resume is enough and keeps the files trivially consistent).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuBackend } from '../../backend/cpu';
import { nodeWeights } from '../nodeWeights';
import { parseRunConfig, type RunConfig } from '../../run/config';
import type { MetricRow } from '../../run/records';
import { TrainingLoop } from '../../run/loop';
import { Trainer } from '../../run/trainer';
import type { SuiteSpec } from './spec';
import { METHODS } from '../../rl/methods';

export interface Job {
  id: string; // <suite>/<variant>/seed<S>, of the suite that owns the run (see Variant.sameAs)
  suite: string;
  variant: string;
  seed: number;
  dir: string;
  config: RunConfig;
  checkpointDir?: string; // where the weak checkpoints live (default: public/checkpoints)
  commit?: string; // the code version that runs it, recorded in done.json
}

export interface DoneRecord {
  commit: string;
  steps: number;
  wallSeconds: number;
  finalEval: MetricRow | null;
}

/** Expand a suite into its jobs (variants x seeds), configs validated up front so a typo fails before any run. */
export function suiteJobs(suite: SuiteSpec, runsDir: string, checkpointDir?: string): Job[] {
  const jobs: Job[] = [];
  for (const v of suite.variants) {
    for (const seed of suite.seeds) {
      const config = parseRunConfig({ ...suite.base, ...v.config, seed });
      const run = v.sameAs ?? `${suite.name}/${v.name}`;
      jobs.push({ id: `${run}/seed${seed}`, suite: suite.name, variant: v.name, seed, dir: join(runsDir, ...run.split('/'), `seed${seed}`), config, checkpointDir });
    }
  }
  return jobs;
}

/** Finished, and with the config it would be run with now (a changed suite re-runs its stale jobs). */
export function isDone(job: Job): boolean {
  const cfgPath = join(job.dir, 'config.json');
  if (!existsSync(join(job.dir, 'done.json')) || !existsSync(cfgPath)) return false;
  return readFileSync(cfgPath, 'utf8') === configText(job.config);
}

const configText = (c: RunConfig) => JSON.stringify(c, null, 2) + '\n';

/**
 * Rough relative cost of a job, for scheduling the longest first (so two workers finish together) and for
 * the progress bar's weights: completions sampled per step times steps, plus the eval rollouts.
 */
export function jobCost(c: RunConfig): number {
  const perStep = c.promptsPerStep * METHODS[c.method].expectedRowsPerPrompt(c);
  const evals = Math.floor(c.steps / c.evalEvery) + 2;
  // eval rollouts are sampling only (no update), roughly a third of the cost of a trained completion
  const perEval = (c.evalProblems * (c.evalSamples + 1) + c.evalPrefixProblems * 2 * Math.min(4, c.evalSamples)) / 3;
  return c.steps * perStep + evals * perEval;
}

const appendRows = (path: string, rows: MetricRow[]) => writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n', { flag: 'a' });

/** Run one job to completion. `onStep(step)` reports progress (after each train step). */
export async function runJob(job: Job, onStep: (step: number) => void): Promise<DoneRecord> {
  const t0 = performance.now();
  const c = job.config;
  rmSync(job.dir, { recursive: true, force: true }); // an unfinished earlier attempt starts over
  mkdirSync(job.dir, { recursive: true });
  writeFileSync(join(job.dir, 'config.json'), configText(c));
  const metricsPath = join(job.dir, 'metrics.jsonl');
  writeFileSync(metricsPath, '');
  const backend = new CpuBackend();
  const trainer = await Trainer.create(backend, c, nodeWeights(c.task, job.checkpointDir));
  let finalEval: MetricRow | null = null;
  try {
    await new TrainingLoop(trainer, {
      trained: ({ metrics }) => appendRows(metricsPath, [metrics]),
      evaluated: (row) => { finalEval = row; appendRows(metricsPath, [row]); },
      stepped: () => onStep(trainer.step),
    }).run();
  } finally {
    trainer.destroy();
    backend.destroy();
  }
  const done: DoneRecord = { commit: job.commit ?? 'unknown', steps: c.steps, wallSeconds: (performance.now() - t0) / 1000, finalEval };
  writeFileSync(join(job.dir, 'done.json'), JSON.stringify(done, null, 2) + '\n');
  return done;
}

export function readDone(job: Job): DoneRecord | null {
  const p = join(job.dir, 'done.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as DoneRecord) : null;
}

/** The rows of a finished run (an unfinished one is not read: it would mix an interrupted attempt into the report). */
export function readMetrics(job: Job): MetricRow[] | null {
  if (!isDone(job)) return null;
  return readFileSync(join(job.dir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as MetricRow);
}
