// The lab in headless Chromium (WebGPU on SwiftShader): start a preset, watch the step count and the charts,
// pause and continue with the space key, inspect and pin traces, export a run and import it back (and a
// broken file), overlay runs, reload and resume from the checkpoint. Screenshots go to test-output/e2e/.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT, screenshot, stepCount, useLab, waitForStep } from './harness';

// A micro model from random weights, 2 prompts x 2 samples: a step takes a fraction of a second even on
// SwiftShader. DenoiseRL with injected errors, so the inspector has noisy prefixes to show.
const EXPERIMENT = '?preset=denoise&model=micro&promptsPerStep=2&groupSize=2&denoiseK=2&denoiseSource=injected'
  + '&denoisePoolProblems=512&denoisePoolSamples=2&evalProblems=8&evalSamples=4&evalPrefixProblems=4&evalEvery=4&steps=400&seed=7';

const lab = useLab();

const curve = (chart: string) => `section[data-chart="${chart}"] path.misstep-line`;
const hasCurve = (chart: string) =>
  lab.b.page.waitForFunction((sel) => [...document.querySelectorAll(sel)].some((p) => (p.getAttribute('d') ?? '').length > 10), curve(chart), { timeout: 60_000 });

describe('the lab in the browser', { timeout: 600_000 }, () => {
  it('sends a CSP that allows no remote origin and no eval', async () => {
    const res = await fetch(lab.served.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(await res.text()).toContain('http-equiv="Content-Security-Policy"');
  });

  it('loads, shows the adapter, and sizes the default experiment for a software GPU', async () => {
    const { page } = lab.b;
    await page.goto(lab.served.url);
    await expect.poll(() => page.getByTestId('device').textContent(), { timeout: 120_000 }).toMatch(/WebGPU|CPU/);
    const device = (await page.getByTestId('device').textContent())!;
    if (device.startsWith('WebGPU')) {
      expect(device).toMatch(/software adapter/);
      await page.getByTestId('software-banner').waitFor();
    }
    await page.getByTestId('small-device').waitFor();
    expect(new URL(page.url()).searchParams.get('promptsPerStep')).toBe('4');
    for (const name of ['Start', 'Pause', 'Step', 'Reset', 'Export', 'Import']) {
      expect(await page.getByRole('button', { name, exact: true }).count()).toBe(1);
    }
    for (const title of ['Recovery rate', 'Observed vs clean reward', 'Pass@k', 'Stagnation', 'SRT pseudo-label accuracy', 'KL', 'Entropy']) {
      expect(await page.getByRole('heading', { name: title, exact: true }).count()).toBe(1);
    }
    await screenshot(page, '01-loaded');
  });

  it('starts a preset: the step count and the charts update; space pauses and continues', async () => {
    const { page } = lab.b;
    await page.goto(lab.served.url + EXPERIMENT);
    await expect.poll(() => page.getByRole('button', { name: 'Start', exact: true }).isEnabled(), { timeout: 120_000 }).toBe(true);
    expect(await page.getByRole('combobox', { name: 'Method' }).inputValue()).toBe('denoise');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStep(page, 3);
    await hasCurve('reward');
    await hasCurve('passk');
    await waitForStep(page, 6);
    await screenshot(page, '02-training');

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/^Paused/);
    const paused = await stepCount(page);
    await page.waitForTimeout(1500);
    expect(await stepCount(page)).toBe(paused);
    await page.keyboard.press(' ');
    await waitForStep(page, paused + 2);
  });

  it('the inspector shows completions with their marks, and a pinned problem across steps', async () => {
    const { page } = lab.b;
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await page.getByTestId('completion').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('.tok.prefix').count()).toBeGreaterThan(0); // DenoiseRL's noisy prefixes
    await page.getByRole('button', { name: 'Pin problem' }).first().click();
    await page.locator('.pinned-step').first().waitFor({ timeout: 60_000 });
    const prefixed = page.getByRole('checkbox', { name: 'prefixed', exact: true });
    await prefixed.check();
    const shown = await page.getByTestId('completion').count();
    expect(shown).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="completion"]:has(.tok.prefix)').count()).toBe(shown);
    await screenshot(page, '03-inspector');
    await prefixed.uncheck();
  });

  it('exports a run, imports it back, refuses a broken file, and overlays runs', async () => {
    const { page } = lab.b;
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/^Paused/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
    const file = join(OUTPUT, 'exported-run.misstep.json');
    await download.saveAs(file);
    const run = JSON.parse(readFileSync(file, 'utf8'));
    expect(run.format).toBe('misstep-run');
    expect(run.config.method).toBe('denoise');
    expect(run.metrics.filter((m: { kind: string }) => m.kind === 'train').length).toBe(await stepCount(page));
    expect(run.checkpoint.step).toBe(await stepCount(page));

    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('notice').filter({ hasText: 'Imported' }).waitFor();
    const broken = join(OUTPUT, 'broken-run.misstep.json');
    writeFileSync(broken, JSON.stringify({ ...run, checkpoint: { ...run.checkpoint, data: 'AAAA' } }));
    await page.getByTestId('import-file').setInputFiles(broken);
    await page.getByTestId('notice').filter({ hasText: 'checkpoint is damaged' }).waitFor();
    writeFileSync(broken, '{"format":"someone-else"}');
    await page.getByTestId('import-file').setInputFiles(broken);
    await page.getByTestId('notice').filter({ hasText: 'not a Misstep run file' }).waitFor();

    await page.getByRole('tab', { name: 'Charts' }).click();
    await hasCurve('reward');
    for (const [kind, check] of [['PNG', (b: Buffer) => b.subarray(1, 4).toString() === 'PNG'], ['CSV', (b: Buffer) => b.toString().startsWith('step,observed,clean,observed (smoothed EMA 0.6),clean (smoothed EMA 0.6)\n1,')]] as const) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export Observed vs clean reward as ${kind}` }).click()]);
      const path = join(OUTPUT, `observed-vs-clean-reward.${kind.toLowerCase()}`);
      await dl.saveAs(path);
      expect(check(readFileSync(path))).toBe(true);
    }

    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect.poll(() => page.locator('.runs-table tbody tr').count()).toBe(2);
    const compare = page.getByRole('checkbox', { name: /^Compare .*\(imported\)$/ });
    await compare.click();
    await expect.poll(() => compare.isChecked()).toBe(true);
    await screenshot(page, '04-runs');
    await page.getByRole('tab', { name: 'Charts' }).click();
    await hasCurve('reward');
    await expect.poll(() => page.locator('section[data-chart="reward"] .chart-legend-item').count(), { timeout: 30_000 }).toBe(4); // charts take new data once a second, one at a time
    await screenshot(page, '05-compare');

    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: /^Rename .*\(imported\)$/ }).click();
    await page.getByRole('textbox', { name: 'Run name' }).fill('the copy');
    await page.keyboard.press('Enter');
    await page.getByText('the copy', { exact: true }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete the copy' }).click();
    await expect.poll(() => page.locator('.runs-table tbody tr').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Clear comparison' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Charts' }).click();
  });

  it('after a reload the stopped run resumes from its checkpoint', async () => {
    const { page } = lab.b;
    const before = await stepCount(page);
    await page.reload();
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 120_000 }).toMatch(/Restored .* at step \d+/);
    expect(await stepCount(page)).toBe(before);
    await hasCurve('reward');
    await screenshot(page, '06-restored');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStep(page, before + 2);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const longTasks = await page.evaluate(() => window.__misstepPerf?.longTasks ?? []);
    writeFileSync(join(OUTPUT, 'long-tasks.json'), JSON.stringify(longTasks, null, 1));
    console.log(`main-thread long tasks while training after the reload: ${longTasks.length}, longest ${Math.max(0, ...longTasks.map((t) => t.duration))} ms`);
  });

  it('a lost GPU device is reported, and the run resumes on the CPU backend from its checkpoint', async () => {
    const { page } = lab.b;
    if (!(await page.getByTestId('device').textContent())!.startsWith('WebGPU')) return;
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const from = (await stepCount(page)) + 1;
    await waitForStep(page, from);
    expect(await page.evaluate(() => (window as unknown as { __misstepLab: { remote: { loseDevice(): Promise<boolean> } } }).__misstepLab.remote.loseDevice())).toBe(true);
    const resume = page.getByRole('button', { name: /^Resume on CPU from step \d+$/ });
    await resume.waitFor({ timeout: 60_000 });
    await screenshot(page, '07-device-lost');
    const at = Number(/\d+$/.exec((await resume.textContent())!)![0]);
    await resume.click();
    await expect.poll(() => page.getByTestId('device').textContent(), { timeout: 60_000 }).toBe('CPU backend (plain TypeScript)');
    await waitForStep(page, at + 2);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/^Paused/);
  });

  it('logged no console errors', () => {
    expect(lab.b.errors).toEqual([]);
  });
});
