// Backends for Node entry points. The WebGPU one uses the npm `webgpu` package (Dawn); it needs a Vulkan
// driver: on GPU-less machines export VK_ICD_FILENAMES to SwiftShader's ICD (see README).
import { register } from 'node:module';
import type { Backend } from '../backend/backend';
import { CpuBackend } from '../backend/cpu';

// The Dawn GPU object must stay alive for the whole process (it crashes when garbage-collected).
let dawn: GPU | null = null;

export async function createNodeBackend(kind: string): Promise<Backend> {
  if (kind === 'cpu') return new CpuBackend();
  if (kind !== 'webgpu') throw new Error(`--backend must be cpu or webgpu, got ${JSON.stringify(kind)}`);
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  dawn ??= create([]) as GPU;
  register('./rawImportHooks.mjs', import.meta.url); // shaders are imported as `?raw` text, as in Vite
  const { createWebGpuBackend } = await import('../backend/webgpu');
  return createWebGpuBackend(dawn);
}
