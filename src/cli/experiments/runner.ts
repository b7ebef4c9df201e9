// The job queue: runs experiment jobs on N worker threads (2 by default: this machine has two cores and
// the CPU backend is single-threaded), suite by suite and longest job first, skipping jobs that already
// finished, with one progress line over all of them. workers = 0 runs the jobs in this thread (for debugging).
import { Worker } from 'node:worker_threads';
import { formatSeconds } from '../progress';
import { isDone, jobCost, runJob, type DoneRecord, type Job } from './jobs';
import type { FromWorker, ToWorker } from './protocol';

export interface RunOptions {
  workers: number;
  quiet?: boolean; // no progress line (tests)
}

export interface RunSummary {
  ran: string[];
  skipped: string[];
  failed: { id: string; message: string }[];
  wallSeconds: number;
}

/** Progress over all pending jobs, weighted by each job's estimated cost so the ETA is not fooled by cheap jobs. */
class JobsProgress {
  private readonly start = Date.now();
  private readonly stepsDone = new Map<string, number>();
  private lastPlain = 0;
  private jobsDone = 0;
  private readonly totalCost: number;
  private readonly totalSteps: number;

  constructor(private readonly jobs: Job[], private readonly quiet: boolean) {
    this.totalCost = jobs.reduce((a, j) => a + jobCost(j.config), 0);
    this.totalSteps = jobs.reduce((a, j) => a + j.config.steps, 0);
  }

  step(id: string, step: number): void { this.stepsDone.set(id, step); this.draw(); }
  finished(): void { this.jobsDone++; this.draw(true); }

  private draw(force = false): void {
    if (this.quiet) return;
    let cost = 0;
    let steps = 0;
    for (const j of this.jobs) {
      const s = this.stepsDone.get(j.id) ?? 0;
      steps += s;
      cost += (jobCost(j.config) * s) / Math.max(1, j.config.steps);
    }
    const frac = this.totalCost > 0 ? cost / this.totalCost : 1;
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = frac > 0 ? (elapsed / frac) * (1 - frac) : NaN;
    const bar = '#'.repeat(Math.round(frac * 28)).padEnd(28, '.');
    const line = `experiments [${bar}] steps ${steps}/${this.totalSteps}, jobs ${this.jobsDone}/${this.jobs.length}, ${formatSeconds(elapsed)} elapsed, ETA ${formatSeconds(eta)}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1)}\x1b[K`);
    else if (force || Date.now() - this.lastPlain > 15000) { this.lastPlain = Date.now(); process.stderr.write(`${line}\n`); }
  }

  done(): void { if (!this.quiet && process.stderr.isTTY) process.stderr.write('\n'); }
}

/**
 * A worker thread that runs TypeScript. `execArgv: ['--import', 'tsx']` is not enough on Node 20 (tsx's
 * loader registers itself only on the main thread), so a plain-JS bootstrap registers tsx, then loads worker.ts.
 */
function startWorker(): Worker {
  return new Worker(new URL('./bootstrap.mjs', import.meta.url), { workerData: { entry: new URL('./worker.ts', import.meta.url).href } });
}

export async function runJobs(all: Job[], opts: RunOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const skipped = all.filter(isDone).map((j) => j.id);
  // suite by suite (so an interrupted `all` leaves whole suites finished), longest job first within a suite
  // (so the workers finish close together); workers never wait at a suite boundary
  const rank = new Map<string, number>();
  for (const j of all) if (!rank.has(j.suite)) rank.set(j.suite, rank.size);
  const pending = all.filter((j) => !isDone(j)).sort((a, b) => rank.get(a.suite)! - rank.get(b.suite)! || jobCost(b.config) - jobCost(a.config));
  const summary: RunSummary = { ran: [], skipped, failed: [], wallSeconds: 0 };
  const progress = new JobsProgress(pending, opts.quiet ?? false);
  const finish = (id: string, r: { done: DoneRecord } | { message: string }) => {
    if ('done' in r) summary.ran.push(id);
    else {
      summary.failed.push({ id, message: r.message });
      if (!opts.quiet) process.stderr.write(`\njob ${id} failed: ${r.message}\n`);
    }
    progress.finished();
  };

  if (opts.workers <= 0) {
    for (const job of pending) {
      try { finish(job.id, { done: await runJob(job, (s) => progress.step(job.id, s)) }); }
      catch (e) { finish(job.id, { message: e instanceof Error ? e.message : String(e) }); }
    }
  } else {
    const queue = [...pending];
    const n = Math.min(opts.workers, queue.length);
    await Promise.all(Array.from({ length: n }, () => new Promise<void>((resolve, reject) => {
      const w = startWorker();
      let current: Job | null = null;
      const next = () => {
        current = queue.shift() ?? null;
        const msg: ToWorker = current ? { type: 'run', job: current } : { type: 'stop' };
        w.postMessage(msg);
        if (!current) resolve();
      };
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') next();
        else if (m.type === 'step') progress.step(m.id, m.step);
        else { finish(m.id, m.type === 'done' ? { done: m.done } : { message: m.message }); next(); }
      });
      w.on('error', (e) => {
        if (!opts.quiet) process.stderr.write(`\nworker error: ${e.stack ?? e.message}\n`);
        // a crashed worker loses its current job; report it and let the other workers carry on
        if (current) finish(current.id, { message: `worker crashed: ${e.message}` });
        current = null;
        reject(e);
      });
      w.on('exit', () => resolve());
    }).catch(() => undefined)));
    for (const job of queue) finish(job.id, { message: 'not run: every worker crashed' });
  }
  progress.done();
  summary.wallSeconds = (performance.now() - t0) / 1000;
  return summary;
}
