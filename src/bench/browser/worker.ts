// The bench worker: the WebGPU backend from the worker's navigator.gpu, then the same measurements as in
// Node (src/bench/run.ts): FMA peak, per-op timings (full mode), GRPO training steps (the page watches its
// main thread meanwhile) and, when asked, the TF.js comparison on the same adapter.
import { createWebGpuBackend } from '../../backend/webgpu';
import { runBench, type BenchEnv } from '../run';
import { soak } from '../soak';
import type { TF } from '../tfjs/model';
import type { WorkerMessage } from './protocol';

const post = (m: WorkerMessage) => postMessage(m);

/** Chromium's non-standard JS heap figure (null where it has none, as in a dedicated worker). */
const workerHeap = (): number | null => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;

async function loadTfjs(): Promise<TF> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-core/dist/register_all_gradients');
  await import('@tensorflow/tfjs-backend-webgpu');
  await import('@tensorflow/tfjs-backend-cpu');
  tf.env().set('PROD', true);
  return tf;
}

async function run(params: Record<string, string>): Promise<void> {
  const quick = params.quick === '1';
  const tfjs = params.tfjs === '1';
  if (navigator.gpu === undefined) throw new Error('navigator.gpu is undefined inside the worker: no WebGPU');
  const webgpu = await createWebGpuBackend(navigator.gpu);
  const env: BenchEnv = {
    where: 'chromium-worker', runtime: navigator.userAgent, webgpu, cpu: null, tf: tfjs ? await loadTfjs() : null,
    log: (text) => post({ kind: 'log', text }),
  };
  const base = await runBench(env, { quick, peak: true, ops: !quick, step: false, tfjs: false });
  const withStep = await runBench(env, { quick, peak: false, ops: false, step: true, tfjs: false });
  // the training loop the page watches for long tasks: continuous GRPO steps for a while
  post({ kind: 'training', running: true, steps: 0 });
  const seconds = Number(params.trainSeconds ?? (quick ? 8 : 60));
  const loop = await soak(webgpu, { minutes: seconds / 60, where: 'chromium worker webgpu', heap: workerHeap, device: webgpu.device, log: env.log });
  post({ kind: 'training', running: false, steps: loop.steps });
  const withTf = tfjs ? await runBench(env, { quick, peak: false, ops: false, step: false, tfjs: true }) : null;
  post({ kind: 'done', part: { ...base, step: withStep.step, tfjs: withTf?.tfjs ?? null, seconds: base.seconds + withStep.seconds + (withTf?.seconds ?? 0) }, loop });
  webgpu.destroy();
}

self.onmessage = (ev: MessageEvent<Record<string, string>>) => {
  run(ev.data).catch((err: unknown) => post({ kind: 'error', error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }));
};
