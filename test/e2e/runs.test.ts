// Nothing a person does loses their work, in headless Chromium: a reload mid-run loses at most one step and
// continues by itself; two tabs never train one run at once (the second is read-only until it takes over);
// the runs list's step counts stay true; the form never runs something other than what it shows; a link is
// its own experiment; names from files are isolated. Small runs (a micro model, 2 prompts x 2 samples).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { OUTPUT, stepCount, useLab, waitForStep } from './harness';

const EXPERIMENT = '?model=micro&promptsPerStep=2&groupSize=2&evalProblems=4&evalSamples=2&evalPrefixProblems=0&evalEvery=100&steps=400&seed=3';

const lab = useLab();

const status = (page: Page) => page.getByTestId('status').textContent();
const startButton = (page: Page) => page.getByRole('button', { name: 'Start', exact: true });
const runId = (page: Page) => page.evaluate(() => (window as unknown as { __misstepLab: { store: { getState(): { runId: string | null } } } }).__misstepLab.store.getState().runId);

/** What IndexedDB holds for a run right now: the record's step, the checkpoint's step, the train rows' steps. */
const stored = (page: Page, id: string) => page.evaluate((id) => new Promise<{ record: number; checkpoint: number; train: number[] }>((resolve, reject) => {
  const open = indexedDB.open('misstep');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction(['runs', 'checkpoints', 'rows'], 'readonly');
    const out = { record: -1, checkpoint: -1, train: [] as number[] };
    tx.objectStore('runs').get(id).onsuccess = (e) => { out.record = (e.target as IDBRequest).result?.step ?? -1; };
    tx.objectStore('checkpoints').get(id).onsuccess = (e) => { out.checkpoint = (e.target as IDBRequest).result?.step ?? -1; };
    tx.objectStore('rows').getAll(IDBKeyRange.bound([id, -Infinity], [id, Infinity])).onsuccess = (e) => {
      out.train = ((e.target as IDBRequest).result as { rows: { step: number; kind: string }[] }[]).flatMap((c) => c.rows).filter((r) => r.kind === 'train').map((r) => r.step);
    };
    tx.oncomplete = () => { open.result.close(); resolve(out); };
  };
}), id);

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('runs survive reloads and second tabs', { timeout: 600_000 }, () => {
  let id = '';

  it('a reload mid-run loses at most one step and continues by itself; list, rows and checkpoint agree', async () => {
    const { page } = lab.b;
    await page.goto(lab.served.url + EXPERIMENT);
    await expect.poll(() => startButton(page).isEnabled(), { timeout: 120_000 }).toBe(true);
    await startButton(page).click();
    await waitForStep(page, 4);
    id = (await runId(page))!;
    const shown = await stepCount(page);
    const before = await stored(page, id);
    await page.reload();
    // every step is stored with its rows in one transaction: the store is at most the step in flight behind
    expect(before.checkpoint).toBeGreaterThanOrEqual(shown - 1);
    expect(before.record).toBe(before.checkpoint);
    expect(before.train).toEqual(range(before.checkpoint));
    await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/^Training/); // nobody pressed Start
    await waitForStep(page, before.checkpoint + 2);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/^Paused/);
    const step = await stepCount(page);
    const after = await stored(page, id);
    expect([after.record, after.checkpoint]).toEqual([step, step]);
    expect(after.train).toEqual(range(step)); // no duplicate and no missing row across the reload
    // one numbering: the inspector's latest step is the counter's
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await expect.poll(() => page.locator('.inspector-toolbar .muted').first().textContent()).toMatch(new RegExp(`^Step ${step},`));
    // the runs list says the same, and keeps saying it after Reset and Open
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.getByTestId('run-step').first().textContent()).toBe(`${step} / 400`);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => stepCount(page)).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.getByTestId('run-step').first().textContent()).toBe(`${step} / 400`);
    expect((await stored(page, id)).record).toBe(step);
    await page.getByRole('button', { name: /^Open / }).first().click();
    await expect.poll(() => stepCount(page)).toBe(step);
    await page.getByRole('tab', { name: 'Runs' }).click();
    expect(await page.getByTestId('run-step').first().textContent()).toBe(`${step} / 400`);
  });

  it('a second tab opens the run read-only, can take it over, and the first tab then stops writing', async () => {
    const one = lab.b.page;
    await startButton(one).click();
    await expect.poll(() => status(one), { timeout: 60_000 }).toMatch(/^Training/);
    // the runs list follows the training live
    await one.getByRole('tab', { name: 'Runs' }).click();
    const live = await stepCount(one);
    await waitForStep(one, live + 3);
    await expect.poll(async () => Number((await one.getByTestId('run-step').first().textContent())!.split(' / ')[0])).toBeGreaterThanOrEqual(live + 2);

    const two = await lab.b.context.newPage();
    try {
      await two.goto(lab.served.url); // a bare address opens the run this browser showed last
      await two.getByTestId('read-only').waitFor({ timeout: 120_000 });
      expect(await startButton(two).isDisabled()).toBe(true);
      expect(await two.getByTestId('start-blocked').textContent()).toMatch(/another tab/);
      expect(await runId(two)).toBe(id);
      expect(await status(one)).toMatch(/^Training/); // the first tab trains on, undisturbed

      await two.getByRole('button', { name: 'Take over' }).click();
      await expect.poll(() => status(one), { timeout: 60_000 }).toMatch(/Another tab took this run over/);
      await one.getByTestId('read-only').waitFor();
      await expect.poll(() => startButton(two).isEnabled(), { timeout: 60_000 }).toBe(true);
      const from = await stepCount(two);
      await startButton(two).click();
      await waitForStep(two, from + 3);
      await two.getByRole('button', { name: 'Pause', exact: true }).click();
      await expect.poll(() => status(two), { timeout: 60_000 }).toMatch(/^Paused/);
      const step = await stepCount(two);
      const s = await stored(two, id);
      expect([s.record, s.checkpoint]).toEqual([step, step]);
      expect(s.train).toEqual(range(step)); // one writer: no duplicate rows, the checkpoint never went back
    } finally {
      await two.close();
    }
    await one.goto(lab.served.url); // the tab that took over is closed: the run is free to train in this tab again
    await expect.poll(() => status(one), { timeout: 120_000 }).toMatch(/^Paused · Restored/);
    expect(await one.getByTestId('read-only').count()).toBe(0);
  });

  it('presets are whole configs, edits say "Custom (from ...)", and Start says why it is off', async () => {
    const { page } = lab.b;
    await page.goto(`${lab.served.url}?seed=5`); // a link: its experiment, no stored run
    await expect.poll(() => startButton(page).isEnabled(), { timeout: 120_000 }).toBe(true);
    const preset = page.getByRole('combobox', { name: 'Preset' });
    const group = page.getByRole('textbox', { name: 'Group size G' });
    await preset.selectOption('grpo');
    const fresh = await group.inputValue();
    await preset.selectOption('denoise');
    expect(await group.inputValue()).toBe('8');
    await preset.selectOption('grpo');
    expect(await group.inputValue()).toBe(fresh); // not the 8 DenoiseRL left behind
    await preset.selectOption('lte');
    await preset.selectOption('noisy_flip');
    expect(await page.getByRole('combobox', { name: 'Difficulty' }).inputValue()).toBe('3'); // not LTE's 4

    await page.getByRole('textbox', { name: 'Learning rate' }).fill('0.0001');
    await expect.poll(() => preset.locator('option:checked').textContent()).toBe('Custom (from Noisy reward: 40% flips)');

    await group.fill('1');
    await expect.poll(() => startButton(page).isDisabled()).toBe(true);
    expect(await page.getByTestId('start-blocked').textContent()).toContain('Group size G is "1": an integer from 2 to 64.');
    await group.fill(fresh);
    await expect.poll(() => startButton(page).isEnabled()).toBe(true);
    const steps = page.getByRole('textbox', { name: 'Steps' });
    await steps.fill('0');
    await expect.poll(() => page.getByTestId('start-blocked').textContent()).toMatch(/^Steps is 0/);
    await steps.fill('100');

    await preset.selectOption('denoise'); // G = 8, K = 4
    await page.getByRole('textbox', { name: 'Prefixed samples K' }).fill('12');
    await expect.poll(() => page.getByTestId('start-blocked').textContent()).toContain('denoiseK = 12 is more than groupSize = 8');
    expect(await startButton(page).isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: 'Prefixed samples K' }).fill('8');
    await expect.poll(() => startButton(page).isEnabled()).toBe(true);
  });

  it('a link is its own experiment, even when all its fields are bad; a too-long link is refused in words', async () => {
    const { page } = lab.b;
    await page.goto(lab.served.url + EXPERIMENT.replace('seed=3', 'seed=4'));
    await expect.poll(() => startButton(page).isEnabled(), { timeout: 120_000 }).toBe(true);
    await startButton(page).click(); // a new run, now this browser's last
    await waitForStep(page, 1);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/^Paused/);

    const other = await lab.b.context.newPage();
    try {
      await other.goto(`${lab.served.url}?groupSize=1&steps=-3`);
      await expect.poll(() => other.getByTestId('notice').count(), { timeout: 120_000 }).toBe(2);
      await expect.poll(() => startButton(other).isEnabled(), { timeout: 60_000 }).toBe(true);
      expect(await runId(other)).toBeNull(); // not the run the other tab shows
      expect(await stepCount(other)).toBe(0);
      expect(await other.locator('.run-name').count()).toBe(0);

      const long = `?seed=2&pad=${'x'.repeat(10_000)}`;
      await other.goto(lab.served.url + long);
      await other.getByTestId('notice').filter({ hasText: /This link is \d+ characters long; the lab reads links up to 2000/ }).waitFor({ timeout: 120_000 });
      await expect.poll(() => other.url().length, { timeout: 60_000 }).toBeLessThan(lab.served.url.length + 2100); // the lab writes back its own, capped
    } finally {
      await other.close();
    }
  });

  it('names from an imported file are isolated, and a checkpoint past config.steps is refused', async () => {
    const { page } = lab.b;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
    const file = join(OUTPUT, 'runs-export.misstep.json');
    await download.saveAs(file);
    const run = JSON.parse(readFileSync(file, 'utf8'));
    const rtl = join(OUTPUT, 'rtl-run.misstep.json');
    const name = '\u05e8\u05d9\u05e6\u05d4 1 \u202e!';
    writeFileSync(rtl, JSON.stringify({ ...run, name }));
    await page.getByTestId('import-file').setInputFiles(rtl);
    await page.getByTestId('notice').filter({ hasText: 'Imported' }).waitFor();
    expect(await page.getByTestId('notice').filter({ hasText: 'Imported' }).textContent()).toContain(`\u2068${name}\u2069`);
    await page.getByRole('tab', { name: 'Runs' }).click();
    expect(await page.locator('.runs-table .run-title bdi').filter({ hasText: name }).count()).toBe(1);

    const past = join(OUTPUT, 'past-steps.misstep.json');
    writeFileSync(past, JSON.stringify({ ...run, config: { ...run.config, steps: run.checkpoint.step - 1 } }));
    await page.getByTestId('import-file').setInputFiles(past);
    await page.getByTestId('notice').filter({ hasText: `past the run's config.steps = ${run.checkpoint.step - 1}` }).waitFor();
  });

  it('logged no console errors', () => {
    expect(lab.b.errors).toEqual([]);
  });
});
