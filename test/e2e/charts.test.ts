// The lab page never stutters while it trains: headless Chromium, a preset training, four imported runs of
// thousands of steps overlaid, the Charts, Inspector and Runs tabs open in turn (src/bench/node/labPage.ts
// drives it; `npm run bench` reports the same figures). Then the chart habits, on the same page.
// What the perf part asserts, and why:
// - the page's own main-thread work (src/ui/perf.ts times every place it spends any: a batch from the
//   worker landing in the store with its render, the chart data, each chart's redraw, the runs list) stays
//   bounded: chart redraws under a fifth of the time (they rest four times their cost: charts/stagger.ts),
//   all of it under a third. These hold by design on any machine, loaded or not.
// - the charts stay bounded whatever the series length: new data at most once a second, about one drawn
//   row per 6 pixels of width (the overlays have 3000 steps each).
// - no main-thread task in which the page's code took over 50 ms of the thread's CPU time (Chromium's own
//   trace, labPage.ts): the page's own cost, which the load of the machine does not inflate. Asserted always.
//   Before the fix it failed (tab switches of 220-280 ms of CPU time, chart redraws over 50), so it judges
//   the page. The collector's pauses are not the code's: a task's CPU time counts the collections inside it
//   apart (a major one lands in whichever task allocates when the heap is full; one of 32 ms inside a 29 ms
//   redraw made a 61 ms task). The collector is judged on its own figures: its share of the thread's time,
//   and its longest pause against a bound well above what it measured (docs/performance.md).
// - main-thread tasks over 50 ms of wall time (PerformanceObserver 'longtask'): the goal as the issue states
//   it. A task's wall time counts the time the OS gave to other processes too, so on a loaded machine (CI
//   shares two cores with the rest of the suite, and SwiftShader's training in the worker competes for
//   them) it measures the machine as much as the page: "0 long tasks" is asserted when the machine was
//   quiet during the window (1-minute load average under half the cores, before and after); the figures
//   and the verdict are written out either way (test-output/e2e/lab-page-perf.json, and the log).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { measureLabPage, pageLong } from '../../src/bench/node/labPage';
import { formatLabPage, type LabPageFigures } from '../../src/bench/report';
import { readPngText } from '../../src/ui/charts/exportChart';
import { OUTPUT, screenshot, useLab } from './harness';

const lab = useLab(undefined, undefined, 240_000);

// The collector's bounds. Measured (docs/performance.md): most collections under 25 ms; V8's memory reducer,
// which compacts the heap when the page's allocation slows (the Runs tab), 99-153 ms of CPU time in five runs
// on a loaded 2-core machine (its parallel phases there run on the main thread); in this test's window
// 114.6, 121.4 and 116.5 ms on the code from before the change that measured it, 104.6-144 ms after it (six
// windows): the earlier bound of 120 sat in the middle of what unchanged code gives, set from windows that
// missed the memory reducer; all of them together 0.7% of the window. These bounds
// catch a collector gone wrong (a heap growing without end); the 50 ms goal is the verdict's, and the
// collector keeps it from being met.
const GC_SHARE_MAX = 0.03;
const GC_PAUSE_MAX_MS = 250;

const PHASES: [tab: 'Charts' | 'Inspector' | 'Runs', seconds: number][] = [['Charts', 25], ['Inspector', 12], ['Runs', 12], ['Charts', 12]];

/** A chart's section on the page. */
const chart = (id: string) => `section[data-chart="${id}"]`;

/** How many chart redraws the page has done (its perf record, src/ui/perf.ts). */
const chartDraws = (page: Page) =>
  page.evaluate(() => (window as unknown as { __misstepPerf: { work: Record<string, { count: number }> } }).__misstepPerf.work['chart-draw']?.count ?? 0);

/** Hover a chart's plot at `at` (a share of its width) and return its hover box's label, e.g. "steps 1780–1809". */
async function hoverAt(page: Page, id: string, at: number): Promise<string> {
  const plot = (await page.locator(`${chart(id)} .recharts-cartesian-grid`).boundingBox())!;
  await page.mouse.move(plot.x + plot.width * at, plot.y + plot.height / 2);
  const label = page.locator(`${chart(id)} .chart-hover .chart-hover-label`);
  await label.waitFor({ timeout: 10_000 });
  return (await label.textContent())!;
}
const lastStep = (label: string) => Number(/(\d+)$/.exec(label)![1]);

/** Drag the left handle of a chart's brush to `to` (a share of the brush's width), in `moves` moves `pauseMs` apart. */
async function dragBrush(page: Page, id: string, to: number, moves: number, pauseMs: number): Promise<void> {
  const slide = page.locator(`${chart(id)} .recharts-brush-traveller`).first();
  await slide.scrollIntoViewIfNeeded();
  const box = (await page.locator(`${chart(id)} .recharts-brush`).boundingBox())!;
  const t = (await slide.boundingBox())!;
  const [x0, x1, y] = [t.x + t.width / 2, box.x + box.width * to, t.y + t.height / 2];
  await page.mouse.move(x0, y);
  await page.mouse.down();
  for (let i = 1; i <= moves; i++) {
    await page.mouse.move(x0 + (x1 - x0) * (i / moves), y);
    if (pauseMs > 0) await page.waitForTimeout(pauseMs);
  }
  await page.mouse.up();
}

describe('the lab page while training', { timeout: 600_000 }, () => {
  let lp: LabPageFigures;

  it('trains a preset with four long runs overlaid, through every tab, and records its figures', async () => {
    lp = await measureLabPage(lab.b.page, lab.served.url, { phases: PHASES, overlaySteps: 3000, log: (m) => console.log(m) });
    mkdirSync(OUTPUT, { recursive: true });
    writeFileSync(join(OUTPUT, 'lab-page-perf.json'), JSON.stringify(lp, null, 1));
    console.log(formatLabPage(lp).join('\n'));
    // preconditions: it trained, and the page did the work being judged
    expect(lp.training_steps).toBeGreaterThan(10);
    expect(lp.first_paint_ms).not.toBeNull();
    for (const kind of ['batch', 'chart-data', 'chart-draw', 'runs', 'tab']) expect(lp.work[kind]?.count ?? 0, kind).toBeGreaterThan(0);
    // and Chromium's trace watched the page's main thread: it saw (nearly) every piece of the page's timed work
    const pieces = Object.values(lp.work).reduce((n, w) => n + w.count, 0);
    expect(lp.traced_measures).toBeGreaterThanOrEqual(0.95 * pieces);
    expect(lp.trace_data_lost).toBe(false);
    expect(lp.gc.minor.count).toBeGreaterThan(0); // the trace sees the collector too (scavenges come every few seconds)
    await screenshot(lab.b.page, '10-perf-charts');
  });

  it("the page's own work stays bounded: charts under a fifth of the time, all of it under a third", () => {
    // chart redraws rest four times their own cost before the next (charts/stagger.ts): at most ~20% by design
    expect(lp.work['chart-draw'].total_ms / lp.observed_ms).toBeLessThan(0.22);
    expect(lp.page_work_share).toBeLessThan(1 / 3);
  });

  it('charts take new data at most once a second and draw about one row per 6 pixels, however long the runs', async () => {
    expect(lp.work['chart-data'].count).toBeLessThanOrEqual(Math.ceil(lp.observed_ms / 1000) + 1);
    await lab.b.page.waitForFunction(() => [...document.querySelectorAll('section[data-chart]')].filter((s) => Number(s.getAttribute('data-drawn')) > 0).length >= 8, undefined, { timeout: 60_000 });
    const drawn = await lab.b.page.$$eval('section[data-chart]', (els) => els.map((e) => ({ rows: Number(e.getAttribute('data-drawn')), width: (e.querySelector('.chart-box') as HTMLElement).clientWidth })));
    expect(drawn.filter((d) => d.rows > 0).length).toBeGreaterThanOrEqual(8);
    for (const d of drawn) expect(d.rows).toBeLessThanOrEqual(Math.max(40, Math.ceil(d.width / 6)) + 2);
  });

  it("no main-thread task in which the page's code took over 50 ms of CPU time, on any machine", () => {
    console.log(lp.verdict);
    // the collector's pauses, alone or inside a task of the page's, are judged in the next test
    expect(lp.cpu_long_tasks.tasks.filter(pageLong)).toEqual([]);
  });

  it("the garbage collector's pauses stay bounded: a small share of the thread's time, no pause over 250 ms", () => {
    const gcMs = lp.gc.major.total_ms + lp.gc.minor.total_ms;
    expect(gcMs / lp.observed_ms).toBeLessThan(GC_SHARE_MAX);
    expect(Math.max(lp.gc.major.max_ms, lp.gc.minor.max_ms)).toBeLessThan(GC_PAUSE_MAX_MS);
  });

  it('no main-thread task over 50 ms after the first paint, and no piece of work over 50 ms, on a quiet machine', () => {
    console.log(lp.quiet ? 'the machine was quiet: asserting 0 long tasks' : `the machine was busy (load average ${lp.load_average.map((l) => l.toFixed(1)).join(' -> ')} on ${lp.cores} cores): ${lp.count} wall-clock long tasks, longest piece of work ${lp.longest_page_work_ms.toFixed(0)} ms, recorded; judged on CPU time above`);
    if (lp.quiet) {
      expect(lp.long_tasks).toEqual([]);
      expect(lp.longest_page_work_ms).toBeLessThan(50);
      expect(lp.work.batch.max_ms).toBeLessThan(50);
    }
  });
});

// The chart habits, on the same page: four overlaid runs (same preset and seed, "#1".."#4") and a short one.
describe('charts with the habits of W&B and TensorBoard', { timeout: 300_000 }, () => {

  it('every chart has axis titles; overlay legends tell runs of one preset and seed apart', async () => {
    const { page } = lab.b;
    await page.getByRole('tab', { name: 'Charts' }).click();
    await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-drawn')) > 0, chart('reward'));
    const labels = await page.locator(`${chart('reward')} .recharts-label`).allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['step', 'mean reward']));
    const titled = await page.$$eval('section[data-chart]', (els) => els.filter((e) => Number(e.getAttribute('data-drawn')) > 0).map((e) => e.querySelectorAll('.recharts-label').length));
    expect(titled.length).toBeGreaterThanOrEqual(8);
    for (const n of titled) expect(n).toBe(2);
    const legend = await page.locator(`${chart('reward')} .chart-legend-text`).allTextContents();
    expect(legend).toHaveLength(10); // 5 runs x observed, clean
    expect(new Set(legend).size).toBe(10);
    for (let i = 1; i <= 4; i++) expect(legend.filter((t) => t.includes(`#${i} (imported)`))).toHaveLength(2);
  });

  it('long series are down-sampled with their logged min and max drawn faintly behind the line', async () => {
    const { page } = lab.b;
    // one band per train line (5 runs x observed, clean), each a closed outline of the min..max of its buckets
    const bands = await page.$$eval(`${chart('reward')} path.misstep-band`, (ps) => ps.map((p) => p.getAttribute('d') ?? ''));
    expect(bands).toHaveLength(10);
    for (const d of bands) expect(d).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){3,}Z$/);
  });

  it('a legend click hides its line and a second click shows it again', async () => {
    const { page } = lab.b;
    const curves = () => page.locator(`${chart('reward')} path.misstep-line`).count();
    const areas = () => page.locator(`${chart('reward')} path.misstep-band`).count();
    const [c0, a0] = [await curves(), await areas()];
    const entry = page.locator(`${chart('reward')} .chart-legend-item`).filter({ hasText: /#2 \(imported\)\u2069?: clean$/ });
    await entry.click();
    await expect.poll(curves).toBe(c0 - 1);
    await expect.poll(areas).toBe(a0 - 1); // its faint band goes with it
    expect(await entry.getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator(`${chart('entropy')} .chart-legend-item.off`).count()).toBe(0); // one chart's legend
    await entry.click();
    await expect.poll(curves).toBe(c0);
  });

  it("hovering a chart shows the step and each shown line's value there", async () => {
    const { page } = lab.b;
    const label = await hoverAt(page, 'reward', 0.6);
    expect(label).toMatch(/^steps? \d+(–\d+)?$/);
    expect(lastStep(label)).toBeGreaterThan(1400); // 60% of the way along steps 1..3000
    expect(lastStep(label)).toBeLessThan(2300);
    const hover = page.locator(`${chart('reward')} .chart-hover`);
    const values = await hover.locator('li').allTextContents();
    expect(values.length).toBeGreaterThanOrEqual(8); // the four overlaid runs' two lines at least (3000 steps each)
    for (const v of values) expect(v).toMatch(/: -?\d+\.\d{3}$/);
    await page.mouse.move(0, 0);
    await expect.poll(() => hover.count()).toBe(0);
  });

  it('the brush zooms every chart to one step range', { timeout: 240_000 }, async () => {
    const { page } = lab.b;
    // Let the charts finish the redraws queued before the pause (one at a time, charts/stagger.ts), so that
    // this test sees the brush alone; the next one drags while they redraw.
    let seen = -1;
    await expect.poll(async () => { const n = await chartDraws(page); const settled = n === seen; seen = n; return settled; }, { interval: 1500, timeout: 90_000 }).toBe(true);
    await dragBrush(page, 'reward', 0.5, 8, 0);
    const note = page.getByTestId('zoom');
    await note.waitFor({ timeout: 10_000 });
    const [from, to] = (/Steps (\d+) to (\d+)/.exec((await note.textContent())!)!).slice(1).map(Number);
    expect(from).toBeGreaterThan(1000);
    expect(to).toBeGreaterThanOrEqual(2900);
    // another chart shows the same range: its x ticks lie inside it (charts redraw one at a time, each resting
    // four times its cost before the next: on a loaded machine a round of all ten takes tens of seconds)
    const ticks = async (id: string) => (await page.locator(`${chart(id)} .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value`).allTextContents()).map(Number);
    await expect.poll(async () => (await ticks('entropy')).every((x) => x >= from - 1 && x <= to + 1), { timeout: 90_000 }).toBe(true);
    expect((await ticks('entropy')).length).toBeGreaterThan(1);
    // hovering the zoomed chart names a step inside the range (the hover box finds its row by step)
    const hovered = lastStep(await hoverAt(page, 'reward', 0.5));
    expect(hovered).toBeGreaterThanOrEqual(from);
    expect(hovered).toBeLessThanOrEqual(to);
    await page.mouse.move(0, 0);
    await screenshot(page, '11-zoomed');
    await page.getByRole('button', { name: 'Show all steps' }).click();
    await expect.poll(async () => Math.min(...(await ticks('entropy'))), { timeout: 90_000 }).toBeLessThan(from);
  });

  it('a brush drag holds while the charts redraw', { timeout: 240_000 }, async () => {
    const { page } = lab.b;
    // A redraw of the chart mid-drag reset recharts' Brush to its props (CI once saw a drag end at step 173).
    const slider = page.getByLabel('Smoothing');
    await slider.focus();
    await page.keyboard.press('ArrowRight'); // every chart queues a redraw (smoothing 0.61)
    const before = await chartDraws(page);
    await dragBrush(page, 'reward', 0.5, 10, 300); // a slow drag, about three seconds, as a person makes it
    expect(await chartDraws(page)).toBeGreaterThan(before); // the precondition: charts were redrawing during the drag
    const note = page.getByTestId('zoom');
    await note.waitFor({ timeout: 10_000 });
    const from = Number(/Steps (\d+) to/.exec((await note.textContent())!)![1]);
    expect(from).toBeGreaterThan(1000);
    await page.getByRole('button', { name: 'Show all steps' }).click();
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.locator('output').filter({ hasText: /^0\.60$/ }).count()).toBe(1);
  });

  it('a PNG export carries the run names, axis titles and smoothing', async () => {
    const { page } = lab.b;
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Observed vs clean reward as PNG' }).click()]);
    const path = join(OUTPUT, 'reward-overlay.png');
    await dl.saveAs(path);
    const png = new Uint8Array(readFileSync(path));
    expect(Buffer.from(png.subarray(1, 4)).toString()).toBe('PNG');
    const text = Object.values(readPngText(png)).join('\n');
    for (let i = 1; i <= 4; i++) expect(text).toContain(`GRPO, clean reward · seed 1 · #${i} (imported)`);
    expect(text).toContain('x = step, y = mean reward');
    expect(text).toContain('Smoothing: EMA 0.60');
    expect(text).toContain('Observed vs clean reward');
  });

  it('a full-page capture shows every chart, those below the fold included', async () => {
    const { page } = lab.b;
    await page.evaluate(() => window.scrollTo(0, 0));
    const below = await page.$$eval('section[data-chart]', (els) => els.filter((e) => e.getBoundingClientRect().top > window.innerHeight).map((e) => e.getAttribute('data-chart')));
    expect(below.length).toBeGreaterThan(2); // precondition: there is something below the fold
    await page.waitForFunction(() => [...document.querySelectorAll('section[data-chart]')].every((e) =>
      e.querySelector('.chart-empty')?.textContent?.includes('logs nothing') || Number(e.getAttribute('data-drawn')) > 0), undefined, { timeout: 30_000 });
    // a chart whose metrics this run does not log says so (e.g. LTE's second round under GRPO); every other draws its lines
    const drawnBelow: string[] = [];
    for (const id of below) {
      if ((await page.locator(`${chart(id!)} .chart-empty`).count()) > 0) continue;
      drawnBelow.push(id!);
      expect(await page.locator(`${chart(id!)} path.misstep-line`).count(), id!).toBeGreaterThan(0);
    }
    expect(drawnBelow.length).toBeGreaterThan(2); // precondition: charts with data below the fold
    await page.screenshot({ path: join(OUTPUT, '12-full-page.png'), fullPage: true });
  });

  it('a chart off screen is kept as a picture of its lines, says its step, and draws live again in view', async () => {
    const { page } = lab.b;
    await page.evaluate(() => window.scrollTo(0, 0));
    const last = await page.$$eval('section[data-chart]', (els) => els.filter((e) => e.getBoundingClientRect().top > window.innerHeight + 200 && Number(e.getAttribute('data-drawn')) > 0).map((e) => e.getAttribute('data-chart')!).pop());
    expect(last).toBeDefined(); // precondition: a drawn chart well below the fold
    const card = page.locator(chart(last!));
    await card.locator('.chart-picture').waitFor({ state: 'attached', timeout: 60_000 });
    // the picture is the drawing (its lines), not a live chart, and says how old it is
    expect(await card.locator('.chart-picture path.misstep-line').count()).toBeGreaterThan(0);
    expect(await card.locator('.chart-box > .recharts-wrapper').count()).toBe(0);
    expect(await card.locator('.chart-asof').textContent()).toMatch(/^as (of step \d+|last drawn)$/);
    // a change of what it shows (here the smoothing) does not leave a picture of the old: off screen, it draws
    // live again, and becomes a picture of the new
    const slider = page.getByLabel('Smoothing');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await card.locator('.chart-box > .recharts-wrapper').waitFor({ state: 'attached', timeout: 30_000 });
    expect(await card.locator('.chart-picture').count()).toBe(0);
    await card.locator('.chart-picture').waitFor({ state: 'attached', timeout: 60_000 });
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.locator('output').filter({ hasText: /^0\.60$/ }).count()).toBe(1);
    // in view, the live chart takes the picture's place
    await card.scrollIntoViewIfNeeded();
    await card.locator('.chart-box > .recharts-wrapper').waitFor({ timeout: 30_000 });
    expect(await card.locator('.chart-picture').count()).toBe(0);
    expect(await card.locator('.chart-asof').count()).toBe(0);
    expect(await card.locator('path.misstep-line').count()).toBeGreaterThan(0);
  });

  it('"Copy link" puts the experiment\'s link on the clipboard', async () => {
    const { page, context } = lab.b;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(lab.served.url).origin });
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByTestId('notice').filter({ hasText: 'Link copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
    expect(new URL(page.url()).searchParams.get('seed')).toBe('3');
  });

  it('logged no console errors', () => {
    expect(lab.b.errors).toEqual([]);
  });
});
