// End-to-end harness: build the lab once, serve it with `vite preview` (the production CSP header included)
// on 127.0.0.1 and a free port (src/bench/node/labPage.ts, which `npm run bench` uses too), and drive
// Debian's Chromium (WebGPU via SwiftShader) with playwright-core.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../src/bench/node/chromium';

export const ROOT = resolve(import.meta.dirname, '../..');
export const OUTPUT = join(ROOT, 'test-output', 'e2e');
export { CHROMIUM_ARGS };

import { buildAndServe, type Served } from '../../src/bench/node/labPage';
export { buildAndServe, type Served };

export interface Browser {
  context: BrowserContext;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

/** A fresh persistent profile (so IndexedDB survives reloads), with console errors collected. */
export async function launch(viewport = { width: 1280, height: 800 }, args = CHROMIUM_ARGS): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'misstep-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumExecutable(), headless: true, args, viewport, acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const onConsole = (m: ConsoleMessage) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); };
  page.on('console', onConsole);
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  context.on('weberror', (e) => errors.push(`weberror: ${e.error().message}`));
  return {
    context, page, errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT, { recursive: true });
  const path = join(OUTPUT, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export const stepCount = async (page: Page): Promise<number> => Number(await page.getByTestId('step-count').textContent());

/** Wait until the step count reaches at least n. */
export async function waitForStep(page: Page, n: number, timeout = 120_000): Promise<number> {
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid="step-count"]')?.textContent) >= k, n, { timeout, polling: 100 });
  return stepCount(page);
}

/**
 * The lab built and served once for a test file, and one browser on it: set up before the file's tests,
 * closed after them. Read `lab.served` and `lab.b` inside the tests (they are set by then).
 */
export function useLab(viewport?: { width: number; height: number }, args = CHROMIUM_ARGS, setupTimeout = 180_000): { served: Served; b: Browser } {
  const lab = {} as { served: Served; b: Browser };
  beforeAll(async () => {
    lab.served = await buildAndServe();
    lab.b = await launch(viewport, args);
  }, setupTimeout);
  afterAll(async () => {
    await lab.b?.close();
    await lab.served?.close();
  });
  return lab;
}
