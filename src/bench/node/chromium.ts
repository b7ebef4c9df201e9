// Headless Debian Chromium for the benchmark's browser half and the browser tests: WebGPU enabled
// (SwiftShader on a machine without a GPU), nothing fetched from the network.
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM_ARGS = [
  '--headless=new', '--enable-unsafe-webgpu', '--enable-webgpu-developer-features', '--no-sandbox',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Debian's chromium from PATH (or CHROMIUM_PATH); never playwright's own download, which cannot be fetched here. */
export function chromiumExecutable(): string {
  const override = process.env.CHROMIUM_PATH;
  if (override !== undefined && override !== '') return override;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      if (dir !== '' && fs.existsSync(candidate)) return candidate;
    }
  }
  throw new Error('no chromium on PATH (apt-get install chromium), and CHROMIUM_PATH is not set');
}
