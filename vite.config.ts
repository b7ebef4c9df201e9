import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the lab (vite) and the tests (vitest).
export default defineConfig({
  plugins: [react()],
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
