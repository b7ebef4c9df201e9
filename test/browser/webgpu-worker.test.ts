// Browser smoke test of the WebGPU backend: headless Debian Chromium (SwiftShader WebGPU) opens a fixture
// page served by Vite; the page starts a dedicated Web Worker that creates the backend from navigator.gpu,
// runs a matmul forward and a sampleNext, and compares both with the CPU backend inside the worker.
// Fails loudly when WebGPU is missing (the worker reports the error; nothing is skipped).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../src/bench/node/chromium';
import type { WorkerReport } from './fixtures/worker';

const root = fileURLToPath(new URL('./fixtures', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));
let server: ViteDevServer;
let browser: Browser;

beforeAll(async () => {
  server = await createServer({
    configFile: false,
    root,
    logLevel: 'warn',
    cacheDir: path.join(os.tmpdir(), 'misstep-vite-webgpu-smoke'),
    // The worker imports src/ and shaders/ (two levels up): allow the whole repo.
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [repo] }, hmr: false },
    optimizeDeps: { noDiscovery: true, include: [] },
    worker: { format: 'es' },
  });
  await server.listen();
  browser = await chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('a Web Worker runs the WebGPU backend and matches the CPU backend', async () => {
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite did not report a local URL');
  const page = await browser.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.__webgpuReport !== undefined, undefined, { timeout: 25_000 }).catch((err: unknown) => {
    throw new Error(`no report from the worker within 25 s (${String(err)}); page log:\n${logs.join('\n')}`);
  });
  const report = (await page.evaluate(() => window.__webgpuReport)) as WorkerReport;
  if (!report.ok) throw new Error(`worker failed: ${report.error}\npage log:\n${logs.join('\n')}`);
  console.log(`browser worker: adapter "${report.adapter}", fallback ${report.isFallbackAdapter}, ` +
    `${report.compileMs.toFixed(0)} ms to compile all pipelines, matmul max |err| ${report.matmulMaxErr}`);
  // fp32 sums of 20 products of N(0,1) values, f32 vs the CPU's f64: ~1e-6; 1e-4 means "same numbers".
  expect(report.matmulMaxErr).toBeLessThan(1e-4);
  expect(report.tokensEqual, `sampled tokens ${report.sampledTokens.join(',')}`).toBe(true);
  expect(report.sampledTokens.every((t) => t < 23)).toBe(true);
});
