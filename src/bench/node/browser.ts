// The benchmark's browser half, driven from Node: Vite serves src/bench/browser/ on 127.0.0.1, headless
// Debian Chromium (playwright-core, the `chromium` on PATH; SwiftShader WebGPU) opens it, the page's Web
// Worker measures, and the page publishes its report (with main-thread long tasks) for us to read.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium';
import type { BrowserBenchReport, BrowserPart } from '../browser/protocol';

const root = fileURLToPath(new URL('../browser', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
export interface BrowserBenchOptions {
  quick: boolean;
  tfjs: boolean;
  log: (msg: string) => void;
  timeoutMs?: number;
}

export async function runBrowserBench(o: BrowserBenchOptions): Promise<BrowserPart> {
  const tfDeps = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-cpu'];
  const server = await createServer({
    configFile: false, root, logLevel: 'warn',
    cacheDir: path.join(os.tmpdir(), `misstep-vite-bench${o.tfjs ? '-tfjs' : ''}`),
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [repo] }, hmr: false },
    optimizeDeps: { noDiscovery: true, include: o.tfjs ? tfDeps : [] },
    worker: { format: 'es' },
  });
  await server.listen();
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_ARGS });
  try {
    const url = server.resolvedUrls?.local[0];
    if (url === undefined) throw new Error('vite did not report a local URL');
    const page = await browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    o.log(`browser: headless Chromium at ${url}`);
    await page.goto(`${url}?quick=${o.quick ? 1 : 0}&tfjs=${o.tfjs ? 1 : 0}`);
    let seen = 0;
    const deadline = Date.now() + (o.timeoutMs ?? (o.quick ? 120_000 : 1_800_000));
    for (;;) {
      const state = await page.evaluate(() => ({ report: window.__benchReport, log: window.__benchLog ?? [] }));
      for (const line of state.log.slice(seen)) o.log(`browser: ${line}`);
      seen = state.log.length;
      const r: BrowserBenchReport | undefined = state.report;
      if (r !== undefined) {
        if ('error' in r) throw new Error(`browser bench failed: ${r.error}\npage log:\n${logs.join('\n')}`);
        return r;
      }
      if (Date.now() > deadline) throw new Error(`no report from the bench page in time; page log:\n${logs.join('\n')}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
