import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The lab's Content-Security-Policy: nothing from other origins, no eval. The meta tag goes into the
// production build only (the dev server injects an inline React-refresh preamble); `vite preview` also
// sends it as a header. style-src allows inline styles (React and recharts set style attributes); img-src
// allows blob: and data: (chart PNG export draws the chart's SVG through a blob URL).
const CSP = "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";
const csp = (): Plugin => ({
  name: 'misstep-csp',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
});

// One config for the lab (vite) and the tests (vitest).
export default defineConfig({
  plugins: [react(), csp()],
  preview: { headers: { 'Content-Security-Policy': CSP } },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // forks: the Node WebGPU binding needs its adapter object alive in one process (see docs/architecture.md).
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
