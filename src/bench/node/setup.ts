// Node side of the benchmark: the Dawn GPU object (npm `webgpu`, held at module scope: Dawn's Node binding
// crashes if it is garbage-collected), the WebGPU backend on it, and TensorFlow.js with its WebGPU backend on
// the SAME GPU object (navigator.gpu is set to it) and its CPU backend.
import { register } from 'node:module';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { WebGpuBackend } from '../../backend/webgpu';
import type { TF } from '../tfjs/model';

let dawn: GPU | null = null;

async function nodeGpu(): Promise<GPU> {
  if (dawn) return dawn;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals); // GPUBufferUsage, GPUMapMode, ... (tfjs-backend-webgpu uses them)
  dawn = create([]) as GPU;
  return dawn;
}

/** The Misstep WebGPU backend on Node's Dawn (SwiftShader when VK_ICD_FILENAMES points at it). */
export async function nodeWebGpuBackend(): Promise<WebGpuBackend> {
  const gpu = await nodeGpu();
  register('../../cli/rawImportHooks.mjs', import.meta.url); // shaders are `?raw` imports, as in Vite
  const { createWebGpuBackend } = await import('../../backend/webgpu');
  return createWebGpuBackend(gpu);
}

/**
 * TensorFlow.js with tfjs-backend-webgpu (on the same GPU object as Misstep, when `webgpu`) and
 * tfjs-backend-cpu. The gradients come from tfjs-core's ESM build (the Node bundle leaves them out).
 */
export async function nodeTfjs(webgpu: boolean): Promise<TF> {
  if (webgpu) {
    const gpu = await nodeGpu();
    if (!('navigator' in globalThis) || (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu !== gpu) {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: `node ${process.version}` }, configurable: true, writable: true });
    }
  }
  const tf = await import('@tensorflow/tfjs-core');
  register('./esmDirHooks.mjs', import.meta.url);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  if (webgpu) await import('@tensorflow/tfjs-backend-webgpu');
  await import('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true); // no debug checks
  return tf;
}

export function nodeRuntime(): string {
  return `Node ${process.version} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${os.platform()}`;
}

let gc: (() => void) | null = null;

/** JS heap in use after a full garbage collection (V8's gc() is exposed at run time for this). */
export function nodeHeapAfterGc(): number {
  if (gc === null) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  return process.memoryUsage().heapUsed;
}
