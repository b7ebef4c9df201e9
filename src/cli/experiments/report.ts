// Turn finished runs into the results document: per suite the claim, the exact command, seeds and commit,
// a table (mean ± sd over seeds), paired comparisons with standard errors, SVG charts, the raw metrics the
// report used, and the hand-written reading (docs/results/readings/<suite>.md) when one exists.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunConfigSchema, type RunConfigInput } from '../../run/config';
import type { MetricRow } from '../../run/records';
import { band, evalStderrBound, formatSummary, pairedDiff, reduceRun, summarize } from './aggregate';
import { loadSuiteRuns, readInvocations, type SuiteRuns } from './load';
import type { SuiteSpec } from './spec';
import { renderLineChart } from './svg';

export interface ReportOptions {
  runsDir: string;
  outDir: string; // the document is <outDir>/<name>.md, its files go to <outDir>/<name>/
  name: string;
  title: string;
  suites: SuiteSpec[];
  commit: string;
  workers: number;
}

const DEFAULTS = RunConfigSchema.parse({});
const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;

/** The fields of a config that differ from `base` (the defaults, or a suite's explicit base), as `key=value`. */
function configText(c: RunConfigInput, base: RunConfigInput = DEFAULTS): string {
  const b = base as Record<string, unknown>;
  const entries = Object.entries(c).filter(([k, v]) => v !== undefined && k !== 'seed' && b[k] !== v);
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(', ') : 'the base config';
}

/** variant -> seed -> the column's number for that run */
function columnValues(runs: SuiteRuns, col: number): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const [variant, seeds] of runs.rows) {
    const m = new Map<number, number>();
    for (const [seed, rows] of seeds) {
      const v = reduceRun(rows, runs.suite.columns[col]);
      if (v !== null && Number.isFinite(v)) m.set(seed, v);
    }
    out.set(variant, m);
  }
  return out;
}

function table(runs: SuiteRuns): string {
  const s = runs.suite;
  const cols = s.columns.map((_, i) => columnValues(runs, i));
  const lines = [`| variant | ${s.columns.map((c) => c.label).join(' | ')} |`, `|---|${s.columns.map(() => '---:').join('|')}|`];
  for (const v of s.variants) {
    if (!runs.rows.has(v.name)) continue;
    const cells = s.columns.map((c, i) => formatSummary(summarize([...(cols[i].get(v.name)?.values() ?? [])]), c.digits ?? 3));
    lines.push(`| ${v.label} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function comparisons(runs: SuiteRuns): string {
  const s = runs.suite;
  if (s.comparisons.length === 0) return '';
  const label = (name: string) => s.variants.find((v) => v.name === name)?.label ?? name;
  const lines = ['| comparison | the claim | difference (mean ± se, paired by seed) | t | 95% |', '|---|---|---:|---:|---|'];
  for (const cmp of s.comparisons) {
    const vals = columnValues(runs, cmp.column);
    const a = vals.get(cmp.a);
    const b = cmp.b ? vals.get(cmp.b) : a && new Map([...a.keys()].map((k) => [k, 0]));
    const d = a && b ? pairedDiff(a, b) : null;
    const what = `${label(cmp.a)}${cmp.b ? ` − ${label(cmp.b)}` : ''}: ${s.columns[cmp.column].label}`;
    const diff = d ? `${d.mean >= 0 ? '+' : ''}${d.mean.toFixed(3)} ± ${Number.isFinite(d.se) ? d.se.toFixed(3) : '–'}` : '–';
    const t = d && Number.isFinite(d.t) ? d.t.toFixed(1) : '–';
    lines.push(`| ${what} | ${cmp.claim} | ${diff} | ${t} | ${d ? d.verdict : 'no runs'} |`);
  }
  return lines.join('\n');
}

function charts(runs: SuiteRuns, dir: string, href: string): string[] {
  const s = runs.suite;
  const md: string[] = [];
  for (const ch of s.charts) {
    const series = s.variants
      .filter((v) => (!ch.variants || ch.variants.includes(v.name)) && runs.rows.has(v.name))
      .map((v) => ({ label: v.label, points: band([...runs.rows.get(v.name)!.values()], ch.metric, ch.kind, ch.smooth ?? 1) }));
    const file = `${s.name}-${ch.id}.svg`;
    const seeds = s.seeds.length > 1 ? `mean over seeds, band = min-max` : 'one seed';
    writeFileSync(join(dir, file), renderLineChart({ title: ch.title, xLabel: 'training step', yLabel: ch.yLabel ?? ch.metric, series }));
    md.push(`![${ch.title}; ${seeds}](${href}/${file})`);
  }
  return md;
}

/** The rows the report used, compact: every eval row, and the train metrics the tables and charts read. */
function rawLines(runs: SuiteRuns): string {
  const s = runs.suite;
  const trainKeys = new Set([...s.columns, ...s.charts].filter((c) => c.kind === 'train').map((c) => c.metric));
  const out: string[] = [];
  for (const [variant, seeds] of runs.rows) {
    for (const [seed, rows] of seeds) {
      for (const r of rows) {
        const keep: MetricRow = r.kind === 'eval' ? r : { step: r.step, kind: 'train' };
        if (r.kind === 'train') for (const k of trainKeys) keep[k] = r[k] ?? null;
        out.push(JSON.stringify({ variant, seed, ...keep }));
      }
    }
  }
  return out.join('\n') + '\n';
}

function budgetTable(all: SuiteRuns[], workers: number): string {
  const lines = [
    '| suite | runs (variants × seeds) | steps | prompts × samples | lr | eval problems × samples | compute (sum of run times) | ≈ wall on ' + `${workers} workers |`,
    '|---|---|---:|---|---:|---|---:|---:|',
  ];
  let total = 0;
  for (const r of all) {
    const b = r.suite.base;
    const compute = r.done.filter((d) => !r.shared.has(d)).reduce((a, d) => a + d.wallSeconds, 0);
    total += compute;
    const notes = [r.shared.size ? `${r.shared.size} shared with another suite, counted there` : '', r.missing.length ? `${r.missing.length} missing` : ''].filter(Boolean);
    const n = `${r.suite.variants.length} × ${r.suite.seeds.length}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    lines.push(`| ${r.suite.name} | ${n} | ${b.steps} | ${b.promptsPerStep} × ${b.groupSize} | ${b.lr} | ${b.evalProblems} × ${b.evalSamples} | ${minutes(compute)} | ${minutes(compute / Math.max(1, workers))} |`);
  }
  if (all.length > 1) lines.push(`| **all** | | | | | | ${minutes(total)} | ${minutes(total / Math.max(1, workers))} |`);
  return lines.join('\n');
}

function section(i: number, runs: SuiteRuns, dir: string, href: string): string {
  const s = runs.suite;
  const out = [`## ${i}. ${s.title}`, '', `**Claim.** ${s.claim}`, '', `**Setup.** ${s.setup}`, ''];
  const commits = [...new Set(runs.done.map((d) => d.commit))];
  out.push(`**Command.** \`npm run experiment -- --suite ${s.name}\` · seeds ${s.seeds.join(', ')} · commit ${commits.length ? commits.map((c) => `\`${c}\``).join(', ') : '–'} · ${runs.done.length} runs`);
  out.push('', `Base config: ${configText(s.base)}.`, '', `Variants: ${s.variants.map((v) => `**${v.label}** (${configText(v.config, s.base)})`).join('; ')}.`, '');
  if (runs.rows.size === 0) {
    out.push(`_Not run yet: no finished runs under the runs directory (${runs.missing.length} jobs missing)._`, '');
    return out.join('\n');
  }
  if (runs.missing.length) out.push(`_Incomplete: ${runs.missing.length} of ${runs.missing.length + runs.done.length} runs have not finished (${runs.missing.join(', ')})._`, '');
  out.push(table(runs), '');
  const cmp = comparisons(runs);
  if (cmp) out.push(cmp, '');
  out.push(...charts(runs, dir, href).map((l) => `${l}\n`));
  writeFileSync(join(dir, 'raw', `${s.name}.jsonl`), rawLines(runs));
  out.push(`Raw metrics: [${href}/raw/${s.name}.jsonl](${href}/raw/${s.name}.jsonl) (eval rows, and the train metrics used above).`, '');
  const readingPath = join(dir, 'readings', `${s.name}.md`);
  out.push('**Reading.**', '', existsSync(readingPath) ? readFileSync(readingPath, 'utf8').trim() : '_No reading written yet._', '');
  return out.join('\n');
}

export function writeReport(o: ReportOptions): string {
  const dir = join(o.outDir, o.name);
  mkdirSync(join(dir, 'raw'), { recursive: true });
  const all = o.suites.map((s) => loadSuiteRuns(s, o.runsDir));
  const names = new Set(o.suites.map((s) => s.name));
  const invs = readInvocations(o.runsDir).filter((v) => v.suites.some((s) => names.has(s)) && v.ran > 0);
  const introPath = join(dir, 'readings', 'intro.md');
  const md = [
    `# ${o.title}`, '',
    `Generated by \`npm run experiment\` (report written at commit \`${o.commit}\`, ${new Date().toISOString().slice(0, 10)}); each section names the command, seeds and commit of its runs. The tables, comparisons and charts are generated from the runs; the **Reading** paragraphs are written by hand after looking at them (\`${o.name}/readings/\`).`, '',
    'How to read: a cell is the mean ± standard deviation over seeds of one number per run. A comparison is paired by seed (same seed = same training prompts and sampling streams): mean difference ± standard error, and "resolved" when the two-sided 95% t-interval (df = seeds − 1; |t| > 4.3 for 3 seeds) excludes 0. "Before" is the evaluation at step 0, "after" at the last step. Pass@k is the unbiased estimator over n = evalSamples samples per held-out problem (temperature 1); the held-out problems are the same for every seed.', '',
    ...(existsSync(introPath) ? [readFileSync(introPath, 'utf8').trim(), ''] : []),
    '## Budget', '',
    budgetTable(all, o.workers), '',
    `Standard error of one run's held-out Pass@1 (at most sqrt(p(1-p)/P) over P problems): ${[...new Set(o.suites.map((s) => s.base.evalProblems ?? DEFAULTS.evalProblems))].map((P) => `±${evalStderrBound(0.3, P).toFixed(3)} at p = 0.3 with P = ${P}`).join('; ')}.`, '',
    invs.length ? `Measured wall time of the invocations that ran these suites: ${invs.map((v) => `\`${v.command}\` ${minutes(v.wallSeconds)} (${v.ran} runs, ${v.workers} workers, ${v.finishedAt.slice(0, 10)})`).join('; ')}.` : '', '',
    ...all.map((r, i) => section(i + 1, r, dir, o.name)),
  ];
  const file = join(o.outDir, `${o.name}.md`);
  writeFileSync(file, md.join('\n').replace(/\n{3,}/g, '\n\n'));
  return file;
}
