// The lab without WebGPU, in a narrow window, from a link with bad fields: a clear banner says why the CPU
// backend runs, notices name the bad fields, the default (weak, small) experiment trains, offline too.
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, screenshot, useLab, waitForStep } from './harness';

const lab = useLab({ width: 420, height: 860 }, CHROMIUM_ARGS.filter((a) => !a.includes('webgpu')));

describe('without WebGPU, narrow, offline', { timeout: 300_000 }, () => {
  it('explains the fallback and the bad link fields, then trains the default experiment offline', async () => {
    const { page, context } = lab.b;
    await page.goto(`${lab.served.url}?difficulty=99&bogus=1`);
    await page.getByTestId('fallback-banner').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('device').textContent()).toBe('CPU backend (plain TypeScript)');
    const notices = await page.getByTestId('notice').allTextContents();
    expect(notices.some((n) => n.includes('difficulty = "99"'))).toBe(true);
    expect(notices.some((n) => n.includes('unknown field "bogus"'))).toBe(true);
    expect(await page.getByRole('combobox', { name: 'Model size' }).inputValue()).toBe('weak');
    await page.getByTestId('small-device').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Start', exact: true }).isEnabled()).toBe(true);
    await page.waitForTimeout(500); // the weak checkpoint is prefetched after the backend is chosen
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStep(page, 2);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await context.setOffline(false);
    await screenshot(page, '08-narrow-cpu');
    await page.getByRole('tab', { name: 'Charts' }).scrollIntoViewIfNeeded();
    await page.getByRole('heading', { name: 'Observed vs clean reward' }).scrollIntoViewIfNeeded();
    await page.locator('section[data-chart="passk"] path.misstep-line').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2500); // charts redraw one at a time, at most once a second
    await screenshot(page, '09-narrow-charts');
    await page.getByRole('tab', { name: 'Learn' }).click();
    await screenshot(page, '10-narrow-learn');
    expect(lab.b.errors).toEqual([]);
  });
});
