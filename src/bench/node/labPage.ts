// The lab's own page under load, measured in headless Chromium: build the lab and serve it (`vite preview`,
// its CSP header included), overlay four imported runs with thousands of steps each, train a preset, and
// keep the Charts, Inspector and Runs tabs open in turn while the page's figures (src/ui/perf.ts:
// window.__misstepPerf) are gathered. The end-to-end test asserts on what this returns; `npm run bench`
// reports it beside the bench page's figure.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import type { GcFigures, LabPageFigures, TracedTask } from '../report';
import { getPreset } from '../../run/presets';
import { longRunFile } from './longRun';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Build the lab into a temporary folder and serve it on 127.0.0.1; close() stops it and removes the folder. */
export async function buildAndServe(): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'misstep-e2e-dist-'));
  // The lab as users get it, a production build, also under vitest: vitest sets NODE_ENV=test, and Vite
  // builds with the environment's NODE_ENV, which gave development React (several times slower: every
  // figure of the page measured in the end-to-end test was of that build before this).
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: ROOT, mode: 'production', logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: false } });
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
  const js = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(outDir, 'assets', f), 'utf8'));
  if (js.some((code) => code.includes('jsxDEV'))) throw new Error('the lab was built with development React (NODE_ENV is not production)');
  const server: PreviewServer = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('preview server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Which preset the page trains, on which backend (`npm run bench -- --lab-page-preset P --lab-page-backend B`). */
export interface LabExperiment {
  preset: string;
  backend: 'webgpu' | 'cpu';
}

export const DEFAULT_LAB_EXPERIMENT: LabExperiment = { preset: 'grpo', backend: 'webgpu' };

/**
 * The link of the experiment the page trains: the preset on a micro model from random weights, two prompts a
 * step in small groups (the preset's own group size where it sets one), so a step takes a fraction of a
 * second even on SwiftShader and the page hears of many steps (the worst case for the page).
 */
export function labExperimentQuery({ preset, backend }: LabExperiment): string {
  const own = getPreset(preset).config.groupSize !== undefined;
  return `?preset=${preset}&backend=${backend}&model=micro&promptsPerStep=2${own ? '' : '&groupSize=4'}` +
    '&evalProblems=8&evalSamples=4&evalPrefixProblems=4&evalEvery=10&steps=100000&seed=3';
}

export interface LabPageOptions {
  /** Seconds with each tab open, in this order (the charts again at the end: they mount afresh). */
  phases: [tab: 'Charts' | 'Inspector' | 'Runs', seconds: number][];
  /** Steps of each of the four overlaid runs. */
  overlaySteps: number;
  /** What trains (default DEFAULT_LAB_EXPERIMENT). */
  experiment?: LabExperiment;
  log: (msg: string) => void;
}

interface PerfSnapshot {
  firstPaint: number | null;
  since: number;
  now: number;
  longTasks: { start: number; duration: number }[];
  work: Record<string, { count: number; totalMs: number; maxMs: number }>;
  steps: number;
}

const LONG_MS = 50;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number; // microseconds
  dur?: number;
  tdur?: number; // the thread's CPU time in the event
  id2?: { local?: string };
  args?: { name?: string; detail?: string; startTime?: number; data?: { functionName?: string } };
}

const PARTS = new Set(['FunctionCall', 'TimerFire', 'EventDispatch', 'MajorGC', 'MinorGC', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'RunMicrotasks', 'ParseHTML', 'EvaluateScript']);

/**
 * Chromium's own timeline of the page's main thread (CDP tracing), for its tasks' CPU time: a task's wall time
 * counts the time the OS gave other processes (on a loaded machine, most of it); its CPU time is the page's
 * own. Keeps every main-thread task over 50 ms of wall or CPU time, with the page's timed work
 * (src/ui/perf.ts's `misstep:*` measures) that ran inside it.
 */
async function traceMainThread(page: Page): Promise<{ stop(): Promise<{ tasks: TracedTask[]; measures: number; lost: boolean; gc: { major: GcFigures; minor: GcFigures } }> }> {
  const cdp = await page.context().newCDPSession(page);
  const tasks: TraceEvent[] = [];
  const open = new Map<string, TraceEvent>();
  const measures: { what: string; from: number; to: number }[] = [];
  const parts: TraceEvent[] = []; // what the browser did inside tasks, 10 ms or more (GC, layout, a script's entry point)
  const gcs: TraceEvent[] = []; // every collection, on any thread (the main one is known once a measure is seen)
  let main: string | null = null; // pid/tid of the thread the page's measures come from
  let offsetMs: number | null = null; // trace clock (ms) - performance.now()
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const e of value as unknown as TraceEvent[]) {
      if (e.ph === 'X' && (e.name === 'MajorGC' || e.name === 'MinorGC')) gcs.push(e); // besides what follows (a GC is also a part)
      if (e.name === 'RunTask' && e.ph === 'X' && ((e.dur ?? 0) > LONG_MS * 1000 || (e.tdur ?? 0) > LONG_MS * 1000)) tasks.push(e);
      else if (e.ph === 'X' && PARTS.has(e.name) && (e.dur ?? 0) >= 10_000) parts.push(e);
      else if (e.name?.startsWith('misstep:')) {
        main ??= `${e.pid}/${e.tid}`;
        const id = `${e.name}|${e.id2?.local}`;
        if (e.ph === 'n') measures.push({ what: e.name.slice(8), from: e.ts, to: e.ts }); // a measure too short for the clock: an instant
        else if (e.ph === 'b') {
          open.set(id, e);
          if (offsetMs === null && typeof e.args?.startTime === 'number') offsetMs = e.ts / 1000 - e.args.startTime;
        } else if (e.ph === 'e') {
          const b = open.get(id);
          open.delete(id);
          if (b) measures.push({ what: `${e.name.slice(8)}${b.args?.detail ? ` ${JSON.parse(b.args.detail)}` : ''}`, from: b.ts, to: e.ts });
        }
      }
    }
  });
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline', 'devtools.timeline', 'blink.user_timing'] }, transferMode: 'ReportEvents' });
  return {
    async stop() {
      const done = new Promise<boolean>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.dataLossOccurred)));
      await cdp.send('Tracing.end');
      const lost = await done;
      await cdp.detach();
      const gcOf = (name: string): GcFigures => {
        const ms = gcs.filter((e) => e.name === name && `${e.pid}/${e.tid}` === main).map((e) => (e.tdur ?? e.dur ?? 0) / 1000);
        const longest = [...ms].sort((a, b) => b - a).slice(0, 10).map((x) => Math.round(10 * x) / 10);
        return { count: ms.length, max_ms: Math.max(0, ...ms), total_ms: ms.reduce((a, b) => a + b, 0), longest_ms: longest };
      };
      return { lost, measures: measures.length, gc: { major: gcOf('MajorGC'), minor: gcOf('MinorGC') }, tasks: tasks.filter((t) => `${t.pid}/${t.tid}` === main).map((t) => ({
        start: Math.round(t.ts / 1000 - (offsetMs ?? 0)),
        wall_ms: Math.round((t.dur ?? 0) / 1000),
        cpu_ms: Math.round((t.tdur ?? 0) / 1000),
        gc_ms: Math.round(gcs.filter((g) => g.pid === t.pid && g.tid === t.tid && g.ts >= t.ts && g.ts < t.ts + (t.dur ?? 0)).reduce((n, g) => n + (g.tdur ?? g.dur ?? 0), 0) / 1000),
        during: measures.filter((m) => m.to > t.ts && m.from < t.ts + (t.dur ?? 0)).map((m) => m.what),
        browser: parts.filter((p) => p.pid === t.pid && p.tid === t.tid && p.ts >= t.ts && p.ts < t.ts + (t.dur ?? 0))
          .map((p) => `${p.name}${p.args?.data?.functionName ? ` ${p.args.data.functionName}` : ''} ${Math.round((p.dur ?? 0) / 1000)} ms`),
      })) };
    },
  };
}

/** A task in which only the JS engine's garbage collector worked (no script of the page's, no timed work). */
export const gcOnly = (t: TracedTask): boolean => t.during.length === 0 && t.browser.length > 0 && t.browser.every((b) => /^(Major|Minor)GC /.test(b));

/**
 * A task in which the page's code ran and took over 50 ms of CPU time itself: the task's CPU time less the
 * collector's pauses inside it. A collection lands in whatever task is allocating when the heap reaches its
 * limit (a 32 ms one inside a 29 ms chart redraw made a 61 ms task); its pause follows the whole heap, not
 * the task, and is reported apart (`LabPageFigures.gc`, and `gc_inside` in the verdict).
 */
export const pageLong = (t: TracedTask): boolean => !gcOnly(t) && t.cpu_ms - t.gc_ms > LONG_MS;

/** Drive the lab at `url` in `page` (a fresh profile) as LabPageOptions says, and return its figures. */
export async function measureLabPage(page: Page, url: string, o: LabPageOptions): Promise<LabPageFigures> {
  const experiment = o.experiment ?? DEFAULT_LAB_EXPERIMENT;
  const query = labExperimentQuery(experiment);
  await page.goto(url + query);
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Start');
    return (b !== undefined && !(b as HTMLButtonElement).disabled) || document.querySelector('[data-testid="start-blocked"]') !== null;
  }, undefined, { timeout: 180_000, polling: 250 });
  // the lab blocks Start when it cannot take the link's experiment: say so, rather than wait for a timeout
  const blocked = page.getByTestId('start-blocked');
  if (await blocked.count()) throw new Error(`the lab page cannot start ${query}: ${await blocked.textContent()}`);
  // four long runs, imported (the same preset and seed: their names differ only in "#n") and overlaid
  const dir = mkdtempSync(join(tmpdir(), 'misstep-lab-page-'));
  try {
    for (let i = 1; i <= 4; i++) {
      const file = join(dir, `run-${i}.misstep.json`);
      writeFileSync(file, longRunFile(`GRPO, clean reward · seed 1 · #${i}`, o.overlaySteps, i));
      await page.getByTestId('import-file').setInputFiles(file);
      await page.getByTestId('notice').filter({ hasText: `#${i}` }).first().waitFor({ timeout: 60_000 });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.getByRole('tab', { name: 'Runs' }).click();
  for (let i = 1; i <= 4; i++) {
    await page.getByRole('checkbox', { name: new RegExp(`^Compare .*#${i} \\(imported\\)$`) }).click(); // checked once the run is loaded
    await page.waitForFunction((n) => document.querySelectorAll('.runs-table input[type=checkbox]:checked').length === n, i, { timeout: 60_000 });
  }
  await page.getByRole('tab', { name: 'Charts' }).click();
  await start.click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) >= 2, undefined, { timeout: 180_000, polling: 250 });
  // the backend that trains (the lab falls back to the CPU backend when WebGPU cannot start: not what was asked)
  const device = page.getByTestId('device');
  const kind = (await device.getAttribute('class'))?.split(' ')[1];
  const deviceText = (await device.textContent()) ?? '';
  if (kind !== experiment.backend) throw new Error(`the lab page trains on ${kind} (${deviceText}), not on the ${experiment.backend} backend asked for`);
  // the first draw of every chart with the long overlays happens before the window opens
  // (every chart: one with data drawn, or saying it has none; a chart's first draw, its recharts tree mounted,
  // costs about twice a redraw: 40-60 ms of CPU time with these overlays)
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll('section[data-chart]')];
    const drawn = charts.filter((s) => Number(s.getAttribute('data-drawn')) > 0).length;
    return drawn >= 8 && charts.every((s) => Number(s.getAttribute('data-drawn')) > 0 || !s.querySelector('.chart-empty')?.textContent?.startsWith('Drawing'));
  }, undefined, { timeout: 240_000, polling: 250 }); // slow on a busy 2-core machine: 4 x 3000-step overlays
  // and the current run's own lines in every chart: a chart first drawing a run's lines mounts their recharts
  // items (once per run, when it starts: 40-60 ms of CPU time with these overlays; docs/performance.md). Past
  // the first evaluation (evalEvery=10), and past the ten seconds a chart off screen waits for new data.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) >= 12, undefined, { timeout: 180_000, polling: 250 });
  await page.waitForTimeout(11_000);
  o.log('lab page: four overlaid runs drawn, training; measuring');
  const load0 = os.loadavg()[0];
  const heapCdp = await page.context().newCDPSession(page);
  const heapUsed = async () => (await heapCdp.send('Runtime.getHeapUsage')).usedSize;
  const heap0 = await heapUsed();
  const trace = await traceMainThread(page);
  await page.evaluate(() => window.__misstepPerf!.reset());
  for (const [tab, seconds] of o.phases) {
    await page.getByRole('tab', { name: tab }).click();
    await page.waitForTimeout(seconds * 1000);
  }
  const snap = await page.evaluate((): PerfSnapshot => {
    const p = window.__misstepPerf!;
    return { firstPaint: p.firstPaint, since: p.since, now: performance.now(), longTasks: p.longTasks, work: p.work, steps: p.steps };
  });
  const heap1 = await heapUsed();
  await heapCdp.detach();
  const { tasks: tracedAll, measures: tracedMeasures, lost, gc: gcFigures } = await trace.stop();
  const traced = tracedAll.filter((t) => t.start >= snap.since);
  const load1 = os.loadavg()[0];
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const work = Object.fromEntries(Object.entries(snap.work).map(([k, w]) => [k, { count: w.count, total_ms: w.totalMs, max_ms: w.maxMs }]));
  const workMs = Object.values(snap.work).reduce((n, w) => n + w.totalMs, 0);
  const observed = snap.now - snap.since;
  const cores = os.cpus().length;
  const quiet = Math.max(load0, load1) < cores / 2;
  const cpuLong = traced.filter((t) => t.cpu_ms > LONG_MS);
  const count = snap.longTasks.length;
  const longest = count ? Math.max(...snap.longTasks.map((t) => t.duration)) : 0;
  const cpuMax = Math.max(0, ...traced.map((t) => t.cpu_ms));
  const gc = cpuLong.filter(gcOnly).length;
  const pageOwn = cpuLong.filter(pageLong);
  const gcInside = cpuLong.length - gc - pageOwn.length; // over 50 ms only with a collection's pause inside
  const own = `${cpuLong.length} task${cpuLong.length === 1 ? '' : 's'} over ${LONG_MS} ms of main-thread CPU time (longest ${cpuMax} ms${gc ? `; ${gc} of them garbage collection alone` : ''}` +
    `${gcInside ? `; ${gcInside} over it only with a collection inside` : ''}); ${pageOwn.length} in which the page's own code took over ${LONG_MS} ms, collections aside`;
  const verdict = quiet
    ? count === 0 && cpuLong.length === 0 ? `goal met: 0 long tasks on a quiet machine (load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${cores} cores)`
      : `goal NOT met: ${count} long tasks (longest ${longest} ms) on a quiet machine (load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${cores} cores); ${own}`
    : `machine busy (load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} on ${cores} cores): its ${count} wall-clock long tasks measure the machine as much as the page, so the goal is judged on the page's own CPU time: ` +
      `${own}: ${lost ? 'not judged (the trace lost events)' : cpuLong.length === 0 ? 'met' : pageOwn.length === 0 ? 'NOT met, by the collector alone' : 'NOT met'}`;
  return {
    source: `lab page main thread (${query.slice(1, query.indexOf('&promptsPerStep'))}…, on ${deviceText}, 4 overlaid runs of ${o.overlaySteps} steps; tabs ${o.phases.map(([t, s]) => `${t} ${s} s`).join(', ')})`,
    count,
    max_ms: longest,
    total_ms: snap.longTasks.reduce((n, t) => n + t.duration, 0),
    observed_ms: observed,
    training_steps: snap.steps,
    first_paint_ms: snap.firstPaint,
    page_work_ms: workMs,
    page_work_ms_per_step: snap.steps > 0 ? workMs / snap.steps : null,
    page_work_share: observed > 0 ? workMs / observed : 0,
    longest_page_work_ms: Math.max(0, ...Object.values(snap.work).map((w) => w.maxMs)),
    work,
    long_tasks: snap.longTasks,
    cpu_long_tasks: { count: cpuLong.length, max_ms: cpuMax, gc_only: gc, gc_inside: gcInside, page_own: pageOwn.length, tasks: cpuLong },
    traced_tasks: traced,
    gc: gcFigures,
    heap_used_bytes: [heap0, heap1],
    traced_measures: tracedMeasures,
    trace_data_lost: lost,
    load_average: [load0, load1],
    cores,
    quiet,
    verdict,
  };
}
