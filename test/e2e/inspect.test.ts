// The inspector and the step view in headless Chromium: pick an earlier step (list and slider), filter by
// a flag and see as many completions as its count says; open the step view, lay a step open, expand a
// sample's tokens, follow a number to its formula on the Learn page. The step view's screenshot
// (test-output/e2e/step-view.png) is the README's docs/step-view.png.
import { describe, expect, it } from 'vitest';
import { launch, screenshot, stepCount, useLab, waitForStep } from './harness';

// The shipped weak checkpoint (so the traces read like arithmetic), 2 prompts x 4 samples, a light evaluation.
const EXPERIMENT = '?preset=grpo&promptsPerStep=2&groupSize=4&evalProblems=8&evalSamples=2&evalPrefixProblems=2&evalEvery=50&steps=400&seed=3';

const lab = useLab({ width: 1280, height: 900 });

const inspected = () => lab.b.page.getByTestId('inspected-step').textContent();

describe('inspector of any step, and one step laid open', { timeout: 600_000 }, () => {
  it('picks an earlier step from the list and the slider, and filters with counts', async () => {
    const { page } = lab.b;
    await page.goto(lab.served.url + EXPERIMENT);
    await expect.poll(() => page.getByRole('button', { name: 'Start', exact: true }).isEnabled(), { timeout: 120_000 }).toBe(true);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStep(page, 5);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/^Paused/);
    const last = await stepCount(page);

    await page.getByRole('tab', { name: 'Inspector' }).click();
    await expect.poll(inspected).toBe(`Step ${last}, 2 groups (latest)`);
    // every group of the step, every sample of each
    expect(await page.locator('section.trace-group').count()).toBe(2);
    expect(await page.getByTestId('completion').count()).toBe(8);
    const latestText = await page.locator('.trace-text').first().textContent();

    await page.getByRole('combobox', { name: 'Step', exact: true }).selectOption({ label: 'step 2' });
    await expect.poll(inspected).toBe('Step 2, 2 groups');
    expect(await page.getByTestId('completion').count()).toBe(8);
    expect(await page.locator('.trace-text').first().textContent()).not.toBe(latestText);
    const slider = page.getByRole('slider', { name: 'Step slider' });
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(inspected).toBe('Step 3, 2 groups');
    await expect.poll(() => page.getByTestId('retention-bytes').textContent()).toMatch(/\d+ kB|MB/);

    // each filter shows exactly as many completions as its count says
    let used = 0;
    for (const f of ['failed', 'recovered', 'retracted', 'flipped', 'hinted', 'prefixed', 'wrong_reason', 'wrong_conclusion']) {
      const count = Number(await page.getByTestId(`count-${f}`).textContent());
      const box = page.locator(`[data-filter="${f}"] input`);
      await box.check();
      await expect.poll(() => page.getByTestId('completion').count()).toBe(count);
      if (count > 0) used++;
      await box.uncheck();
    }
    expect(used, 'at least one filter held traces at this step').toBeGreaterThan(0);
    expect(await page.getByTestId('completion').count()).toBe(8);
    expect(lab.b.errors).toEqual([]);
  });

  it('opens the step view, lays a step open, shows its tokens and links a number to its formula', async () => {
    const { page } = lab.b;
    const before = await stepCount(page);
    await page.getByRole('tab', { name: 'Step view' }).click();
    await page.getByTestId('step-view').waitFor();
    await page.getByRole('button', { name: 'Lay open the next step' }).click();
    await expect.poll(() => page.getByTestId('explained-step').textContent(), { timeout: 120_000 }).toBe(String(before + 1));
    expect(await page.getByTestId('explained-group').count()).toBe(2);
    expect(await page.getByTestId('explained-sample').count()).toBe(8);
    expect(Number(await page.getByTestId('step-loss').textContent())).not.toBeNaN();
    await page.getByRole('button', { name: 'tokens', exact: true }).first().click();
    const tokens = page.getByTestId('token-table').first();
    await tokens.waitFor();
    expect(await tokens.locator('tbody tr').count()).toBeGreaterThan(3);
    await screenshot(page, 'step-view');

    await page.getByTestId('explained-group').first().getByRole('link', { name: 'Aᵢ' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Learn' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.locator('#f-advantage').isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => {
      const r = document.getElementById('f-advantage')!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    })).toBe(true);
    expect(lab.b.errors).toEqual([]);
  });

  it('a new user who runs the DenoiseRL preset from the shipped checkpoint finds retractions in the inspector', async () => {
    const fresh = await launch({ width: 1280, height: 900 }); // its own storage: nothing left from the runs above
    try {
      const { page } = fresh;
      await page.goto(lab.served.url + '?preset=denoise&backend=cpu&evalProblems=8&evalSamples=2&evalPrefixProblems=2&evalEvery=50&seed=1');
      await expect.poll(() => page.getByRole('button', { name: 'Start', exact: true }).isEnabled(), { timeout: 120_000 }).toBe(true);
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await waitForStep(page, 2, 300_000);
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/^Paused/);
      await page.getByRole('tab', { name: 'Inspector' }).click();
      await page.getByTestId('count-retracted').waitFor();
      const retracted = Number(await page.getByTestId('count-retracted').textContent());
      expect(retracted, 'retractions in the latest step').toBeGreaterThan(0);
      await page.locator('[data-filter="retracted"] input').check();
      await expect.poll(() => page.getByTestId('completion').count()).toBe(retracted);
      expect(await page.locator('.trace-text').first().textContent()).toContain('!');
      expect(fresh.errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
