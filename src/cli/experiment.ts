// npm run experiment -- --suite grpo|noisy|srt|lte|denoise|all|smoke [--workers N] [--runs DIR] [--out DIR] [--report-only]
// Runs a suite's jobs (variants x seeds) on worker threads, skipping the ones that already finished (so a
// re-run resumes), then writes the report: docs/results.md with charts and raw metrics in docs/results/.
// The smoke suite (CI) reports to <runs>/smoke-results.md instead, so it never touches docs/.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suiteJobs, type Job } from './experiments/jobs';
import { logInvocation } from './experiments/load';
import { writeReport } from './experiments/report';
import { runJobs, type RunSummary } from './experiments/runner';
import type { SuiteSpec } from './experiments/spec';
import { PAPER_SUITES, SUITES, getSuite } from './experiments/suites';
import { UsageError, formatFlags, parseFlags, runMain, wantsHelp } from './args';

const FLAGS = {
  suite: { kind: 'string', value: '<name>', help: 'the suite to run (listed above); required', choices: [...SUITES.map((s) => s.name), 'all'] },
  workers: { kind: 'int', value: 'N', help: 'worker threads (one per core of the reference machine; 0 = in this thread)', default: 2 },
  runs: { kind: 'string', value: 'DIR', help: 'where runs are written and resumed from', default: join('runs', 'experiments') },
  out: { kind: 'string', value: 'DIR', help: 'where the report goes (default docs for paper suites, the runs dir for smoke)' },
  'report-only': { kind: 'boolean', help: 'only regenerate the report from finished runs' },
} as const;

/** The runs `--suite all` makes: a variant that is the same run as another suite's (sameAs) counts once. */
function paperRunCount(): number {
  return new Set(PAPER_SUITES.flatMap((s) => suiteJobs(s, '').map((j) => j.id))).size;
}

const HELP = `Usage: npm run experiment -- --suite <name> [--workers N] [--runs DIR] [--out DIR] [--report-only]

Suites:
${SUITES.map((s) => `  ${s.name.padEnd(8)} ${s.title} (${s.variants.length} variants x ${s.seeds.length} seeds, ${s.base.steps} steps)`).join('\n')}
  all      the five paper suites (${PAPER_SUITES.map((s) => s.name).join(', ')}): ${paperRunCount()} runs (docs/results.md gives the wall time of the last invocation)

Options:
${formatFlags(FLAGS)}`;

/** The short commit of the working tree, for the report; 'unknown' outside a git checkout. */
export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface ExperimentOptions {
  suites: SuiteSpec[];
  runsDir: string;
  outDir: string;
  reportName: string;
  workers: number;
  command: string;
  reportOnly?: boolean;
  quiet?: boolean;
  checkpointDir?: string;
}

export interface ExperimentResult {
  summary: RunSummary | null;
  report: string;
}

export async function runExperiment(o: ExperimentOptions): Promise<ExperimentResult> {
  const commit = gitCommit();
  let summary: RunSummary | null = null;
  if (!o.reportOnly) {
    // a run shared by two suites (Variant.sameAs) is one job
    const byId = new Map<string, Job>();
    for (const j of o.suites.flatMap((s) => suiteJobs(s, o.runsDir, o.checkpointDir))) if (!byId.has(j.id)) byId.set(j.id, { ...j, commit });
    const jobs = [...byId.values()];
    summary = await runJobs(jobs, { workers: o.workers, quiet: o.quiet });
    logInvocation(o.runsDir, {
      suites: o.suites.map((s) => s.name), command: o.command, workers: o.workers, wallSeconds: summary.wallSeconds,
      ran: summary.ran.length, skipped: summary.skipped.length, failed: summary.failed.length, commit, finishedAt: new Date().toISOString(),
    });
  }
  // a paper suite's report always holds all five suites, so running them one at a time builds one document
  const paper = o.suites.every((s) => PAPER_SUITES.includes(s));
  const report = writeReport({
    runsDir: o.runsDir, outDir: o.outDir, name: o.reportName, suites: paper ? PAPER_SUITES : o.suites, commit, workers: Math.max(1, o.workers),
    title: paper ? "Results: the papers' central findings at toy scale" : `Experiment suite: ${o.suites.map((s) => s.name).join(', ')}`,
  });
  return { summary, report };
}

async function main(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) { console.log(HELP); return 0; }
  const args = parseFlags(argv, FLAGS);
  const name = args.suite;
  if (name === undefined) throw new UsageError(`--suite is required: one of ${FLAGS.suite.choices.join(', ')}`);
  const suites = name === 'all' ? PAPER_SUITES : [getSuite(name)];
  const smoke = suites.every((s) => !PAPER_SUITES.includes(s));
  const runsDir = args.runs;
  const { summary, report } = await runExperiment({
    suites, runsDir, outDir: args.out ?? (smoke ? runsDir : 'docs'), reportName: smoke ? `${name}-results` : 'results',
    workers: args.workers, command: `npm run experiment -- ${argv.join(' ')}`, reportOnly: args['report-only'],
  });
  if (summary) {
    console.log(`${summary.ran.length} runs done, ${summary.skipped.length} already finished (skipped), ${summary.failed.length} failed, in ${(summary.wallSeconds / 60).toFixed(1)} min`);
    for (const f of summary.failed) console.error(`failed: ${f.id}: ${f.message.split('\n')[0]}`);
  }
  console.log(`report: ${report}`);
  return summary && summary.failed.length > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain('experiment', () => main(process.argv.slice(2)));
