// The benchmark's measurements, the same in Node and in a browser Web Worker: per-op timings on each
// backend, the FMA peak probes, whole GRPO steps, and the TF.js comparisons. The caller supplies the
// backends and (optionally) TensorFlow.js with its backends registered.
import type { Backend } from '../backend/backend';
import type { WebGpuBackend } from '../backend/webgpu';
import { MODEL_PRESETS, type GPTConfig } from '../model/config';
import { benchCpuMatmul } from './cpuMatmul';
import { runOpBench, type OpRow } from './ops';
import { cpuPeak, webgpuPeak } from './peak';
import type { AdapterInfo, BenchPart, TfjsFigures } from './report';
import { FULL_SHAPES, QUICK_SHAPES } from './shapes';
import { benchStep, type StepFigures } from './step';
import { compareGenerate, compareTrainStep, type CompareShapes, type GenerateVersus, type Versus } from './tfjs/compare';
import type { TF } from './tfjs/model';

export interface BenchEnv {
  where: BenchPart['where'];
  runtime: string;
  webgpu: WebGpuBackend | null;
  cpu: Backend | null;
  tf: TF | null; // with 'webgpu' (when webgpu is set) and 'cpu' registered
  log: (msg: string) => void;
}

export interface BenchPlan {
  quick: boolean;
  peak: boolean;
  ops: boolean;
  step: boolean;
  tfjs: boolean;
}

/** Shapes of the TF.js comparisons per mode. */
export const TFJS_SHAPES: Record<'quick' | 'full', CompareShapes> = {
  quick: { B: 4, T: 32, genB: 16, genTokens: 12 },
  full: { B: 32, T: 64, genB: 32, genTokens: 32 },
};

export async function runBench(env: BenchEnv, plan: BenchPlan): Promise<BenchPart> {
  const t0 = performance.now();
  const shapes = plan.quick ? QUICK_SHAPES : FULL_SHAPES;
  const g = env.webgpu;
  const info = g?.adapter;
  const adapter: AdapterInfo | null = info
    ? { vendor: info.vendor, architecture: info.architecture, description: info.description, device: info.device, is_fallback: info.isFallbackAdapter }
    : null;
  const part: BenchPart = {
    where: env.where, runtime: env.runtime, adapter, compile_ms: g?.compileMs ?? null, peak_gflops: null,
    cpu_peak_gflops: null, ops: [], step: null, step_cpu: null, tfjs: null, seconds: 0,
  };
  if (g && plan.peak) {
    env.log('webgpu: FMA peak probe');
    part.peak_gflops = (await webgpuPeak(g.device, plan.quick ? { groups: 512, iters: 1024, reps: 3 } : { groups: 1024, iters: 2048, reps: 5 })).gflops;
  }
  if (env.cpu && plan.peak) part.cpu_peak_gflops = (await cpuPeak({ iters: plan.quick ? 2e6 : 2e7, reps: 5 })).gflops;
  if (plan.ops) {
    for (const k of [g, env.cpu]) {
      if (!k) continue;
      env.log(`${k.name}: per-op timings`);
      const rows = await runOpBench(k, shapes, plan.quick ? { reps: 3, targetMs: 20 } : { reps: 5, targetMs: 100 });
      const peak = k.name === 'webgpu' ? part.peak_gflops : part.cpu_peak_gflops;
      for (const r of rows) r.peak_fraction = peak ? r.gflops / peak : 0;
      part.ops.push(...rows);
    }
  }
  if (plan.step) {
    const o = plan.quick
      ? { promptsPerStep: 2, groupSize: 8, maxCompletionLength: 16, warmup: 1, reps: 1 }
      : { promptsPerStep: 16, groupSize: 8, maxCompletionLength: 48, warmup: 1, reps: 3 };
    if (g) { env.log('webgpu: GRPO steps'); part.step = await benchStep(g, { ...o, device: g.device }); }
    if (env.cpu) { env.log('cpu: GRPO steps'); part.step_cpu = await benchStep(env.cpu, o); }
  }
  if (plan.tfjs && env.tf) part.tfjs = await tfjsFigures(env, plan.quick);
  part.seconds = (performance.now() - t0) / 1000;
  return part;
}

async function tfjsFigures(env: BenchEnv, quick: boolean): Promise<TfjsFigures> {
  const tf = env.tf!;
  // The TF.js twin (tfjs/model.ts) has learned absolute positions (wpe), so both sides of every ratio run
  // that model: the same math, not the shipped rope model (docs/performance.md).
  const cfg: GPTConfig = { ...MODEL_PRESETS.tiny, positions: 'learned' };
  const s = TFJS_SHAPES[quick ? 'quick' : 'full'];
  // generation is short next to a training step: more repeats, so one slow run cannot set the median
  const [warm, reps, genReps] = quick ? [1, 1, 3] : [1, 3, 4];
  let webgpu: { train: Versus; generate: GenerateVersus } | null = null;
  let cpu: { train: Versus; generate: GenerateVersus } | null = null;
  if (env.webgpu) {
    await tf.setBackend('webgpu');
    env.log('tfjs webgpu: training step');
    const train = await compareTrainStep(tf, env.webgpu, cfg, s, warm, reps);
    env.log('tfjs webgpu: generation');
    webgpu = { train, generate: await compareGenerate(tf, env.webgpu, cfg, s, warm, genReps, !quick) };
  }
  let cpuMatmul = null;
  if (env.cpu) {
    await tf.setBackend('cpu');
    env.log('tfjs cpu: matmul, training step, generation');
    const N = s.B * s.T;
    const C = cfg.nEmbd;
    const mm: [string, number, number, number][] = [['qkv', N, C, 3 * C], ['attproj', N, C, C], ['fc', N, C, 4 * C], ['fcproj', N, 4 * C, C], ['lm_head', N, C, cfg.vocabSize]];
    cpuMatmul = await benchCpuMatmul(env.cpu, tf, mm, quick ? 3 : 7);
    const train = await compareTrainStep(tf, env.cpu, cfg, s, warm, reps);
    cpu = { train, generate: await compareGenerate(tf, env.cpu, cfg, s, warm, genReps, false) };
  }
  return {
    train_step_ratio: webgpu?.train.ratio ?? null,
    generate_ratio: webgpu?.generate.ratio ?? null,
    cpu_matmul_ratio: cpuMatmul?.tfjs_ratio ?? null,
    cpu_train_step_ratio: cpu?.train.ratio ?? null,
    cpu_generate_ratio: cpu?.generate.ratio ?? null,
    naive_matmul_ratio: cpuMatmul?.naive_ratio ?? null,
    shapes: s, webgpu, cpu, cpu_matmul: cpuMatmul,
  };
}

export type { OpRow, StepFigures };
