// The lab's own page under load, measured in headless Chromium: build the lab and serve it (`vite preview`,
// its CSP header included), overlay four imported runs with thousands of steps each, train a preset, and
// keep the Charts, Inspector and Runs tabs open in turn while the page's figures (src/ui/perf.ts:
// window.__misstepPerf) are gathered. The end-to-end test asserts on what this returns; `npm run bench`
// reports it beside the bench page's figure.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import type { LabPageFigures } from '../report';
import { longRunFile } from './longRun';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Build the lab into a temporary folder and serve it on 127.0.0.1; close() stops it and removes the folder. */
export async function buildAndServe(): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'misstep-e2e-dist-'));
  await build({ root: ROOT, logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: false } });
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

/**
 * The experiment the page trains: GRPO on a micro model from random weights, small groups, so a step takes a
 * fraction of a second even on SwiftShader and the page hears of many steps (the worst case for the page).
 */
export const LAB_EXPERIMENT = '?preset=grpo&model=micro&promptsPerStep=2&groupSize=4&evalProblems=8&evalSamples=4&evalPrefixProblems=4&evalEvery=10&steps=100000&seed=3';

export interface LabPageOptions {
  /** Seconds with each tab open, in this order (the charts again at the end: they mount afresh). */
  phases: [tab: 'Charts' | 'Inspector' | 'Runs', seconds: number][];
  /** Steps of each of the four overlaid runs. */
  overlaySteps: number;
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

/** Drive the lab at `url` in `page` (a fresh profile) as LabPageOptions says, and return its figures. */
export async function measureLabPage(page: Page, url: string, o: LabPageOptions): Promise<LabPageFigures> {
  await page.goto(url + LAB_EXPERIMENT);
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent === 'Start');
    return b !== undefined && !(b as HTMLButtonElement).disabled;
  }, undefined, { timeout: 180_000, polling: 250 });
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
  // the first draw of every chart with the long overlays happens before the window opens
  await page.waitForFunction(() => [...document.querySelectorAll('section[data-chart]')].filter((s) => Number(s.getAttribute('data-drawn')) > 0).length >= 8, undefined, { timeout: 240_000, polling: 250 }); // slow on a busy 2-core machine: 4 x 3000-step overlays
  o.log('lab page: four overlaid runs drawn, training; measuring');
  await page.evaluate(() => window.__misstepPerf!.reset());
  for (const [tab, seconds] of o.phases) {
    await page.getByRole('tab', { name: tab }).click();
    await page.waitForTimeout(seconds * 1000);
  }
  const snap = await page.evaluate((): PerfSnapshot => {
    const p = window.__misstepPerf!;
    return { firstPaint: p.firstPaint, since: p.since, now: performance.now(), longTasks: p.longTasks, work: p.work, steps: p.steps };
  });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const work = Object.fromEntries(Object.entries(snap.work).map(([k, w]) => [k, { count: w.count, total_ms: w.totalMs, max_ms: w.maxMs }]));
  const workMs = Object.values(snap.work).reduce((n, w) => n + w.totalMs, 0);
  const observed = snap.now - snap.since;
  return {
    source: `lab page main thread (${LAB_EXPERIMENT.slice(1, 40)}…, 4 overlaid runs of ${o.overlaySteps} steps; tabs ${o.phases.map(([t, s]) => `${t} ${s} s`).join(', ')})`,
    count: snap.longTasks.length,
    max_ms: snap.longTasks.length ? Math.max(...snap.longTasks.map((t) => t.duration)) : 0,
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
  };
}
