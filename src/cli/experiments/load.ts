// Reading a suite's finished runs back from disk, and the per-invocation log the report's budget reads.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricRow } from '../../run/records';
import { readDone, readMetrics, suiteJobs, type DoneRecord } from './jobs';
import type { SuiteSpec } from './spec';

export interface SuiteRuns {
  suite: SuiteSpec;
  /** variant -> seed -> rows, finished runs only */
  rows: Map<string, Map<number, MetricRow[]>>;
  done: DoneRecord[];
  shared: Set<DoneRecord>; // runs owned by another suite (Variant.sameAs): not counted in this suite's compute
  missing: string[]; // job ids without a finished run
}

export function loadSuiteRuns(suite: SuiteSpec, runsDir: string): SuiteRuns {
  const rows = new Map<string, Map<number, MetricRow[]>>();
  const done: DoneRecord[] = [];
  const shared = new Set<DoneRecord>();
  const missing: string[] = [];
  for (const job of suiteJobs(suite, runsDir)) {
    const m = readMetrics(job);
    const d = readDone(job);
    if (!m || !d) { missing.push(job.id); continue; }
    if (!rows.has(job.variant)) rows.set(job.variant, new Map());
    rows.get(job.variant)!.set(job.seed, m);
    done.push(d);
    if (!job.id.startsWith(`${suite.name}/`)) shared.add(d);
  }
  return { suite, rows, done, shared, missing };
}

/** One `npm run experiment` invocation, appended to <runs>/invocations.jsonl when it ends. */
export interface Invocation {
  suites: string[];
  command: string;
  workers: number;
  wallSeconds: number;
  ran: number;
  skipped: number;
  failed: number;
  commit: string;
  finishedAt: string;
}

export function logInvocation(runsDir: string, inv: Invocation): void {
  mkdirSync(runsDir, { recursive: true });
  appendFileSync(join(runsDir, 'invocations.jsonl'), JSON.stringify(inv) + '\n');
}

export function readInvocations(runsDir: string): Invocation[] {
  const p = join(runsDir, 'invocations.jsonl');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Invocation);
}
