// Whole-step figures: one GRPO step of the Trainer split into rollout / reward / update, the backend's
// counters per step, and (WebGPU) what the device was asked to create while training: buffers and
// pipelines created per step should be 0 (everything is allocated and compiled up front).
import type { Backend } from '../backend/backend';
import { parseRunConfig, type RunConfigInput } from '../run/config';
import { Trainer } from '../run/trainer';
import { median, yieldToLoop } from './timing';

export interface StepFigures {
  backend: 'cpu' | 'webgpu';
  config: { promptsPerStep: number; groupSize: number; maxCompletionLength: number; model: string };
  steps_measured: number;
  rollout_ms: number;
  reward_ms: number;
  update_ms: number;
  total_ms: number;
  dispatches: number;
  submits: number;
  readbacks: number;
  readback_bytes: number;
  rollout_batches: number;
  tokens_per_s: number; // (generated + trained tokens) / step time, the Trainer's own metric
  rollout_tokens_per_s: number; // generated tokens / rollout time
  train_tokens_per_s: number; // trained (unmasked) tokens / update time
  bytes_held_start: number;
  bytes_held_end: number;
  buffers_created_per_step: number | null; // WebGPU only
  bind_groups_created_per_step: number | null;
  pipelines_created_after_startup: number | null;
}

export interface DeviceCounts {
  buffers: number;
  bindGroups: number;
  pipelines: number;
}

/** Count what `device` creates from now on (wraps its create* methods on the instance). */
export function watchDevice(device: GPUDevice): { counts: DeviceCounts; stop: () => void } {
  const counts: DeviceCounts = { buffers: 0, bindGroups: 0, pipelines: 0 };
  const d = device as unknown as Record<string, unknown>;
  const names = { createBuffer: 'buffers', createBindGroup: 'bindGroups', createComputePipeline: 'pipelines', createComputePipelineAsync: 'pipelines' } as const;
  const saved: [string, unknown][] = [];
  for (const [method, key] of Object.entries(names)) {
    const original = d[method];
    if (typeof original !== 'function') continue;
    saved.push([method, original]);
    d[method] = (...args: unknown[]) => {
      counts[key]++;
      return (original as (...a: unknown[]) => unknown).apply(device, args);
    };
  }
  return { counts, stop: () => { for (const [method] of saved) delete d[method]; } };
}

const noWeights = async (): Promise<never> => { throw new Error('the bench trains the random-init tiny model'); };

export interface StepOptions {
  promptsPerStep: number;
  groupSize: number;
  maxCompletionLength: number;
  warmup: number;
  reps: number;
  device?: GPUDevice; // the WebGPU backend's device, to count creations
}

/** Train the random-init `tiny` model (the shipped policy's shape) for warmup + reps GRPO steps. */
export async function benchStep(k: Backend, o: StepOptions): Promise<StepFigures> {
  const cfgIn: RunConfigInput = {
    model: 'tiny', method: 'grpo', reward: 'verifiable', promptsPerStep: o.promptsPerStep, groupSize: o.groupSize,
    maxCompletionLength: o.maxCompletionLength, evalProblems: 1, evalSamples: 1, evalPrefixProblems: 0, tracesPerStep: 0,
  };
  const trainer = await Trainer.create(k, parseRunConfig(cfgIn), noWeights);
  try {
    for (let i = 0; i < o.warmup; i++) await trainer.trainStep();
    const held0 = k.counters().bytesHeld;
    const watch = o.device ? watchDevice(o.device) : null;
    const rows: Record<string, number>[] = [];
    for (let i = 0; i < o.reps; i++) {
      const { metrics } = await trainer.trainStep();
      const num = (key: string): number => {
        const v = metrics[key];
        return typeof v === 'number' ? v : 0;
      };
      const rowsGenerated = o.promptsPerStep * o.groupSize;
      const generated = num('completions/mean_length') * rowsGenerated;
      rows.push({
        rollout: num('time/rollout') * 1000, reward: num('time/reward') * 1000, update: num('time/update') * 1000,
        total: num('step_time') * 1000, dispatches: num('gpu/dispatches'), submits: num('gpu/submits'),
        readbacks: num('gpu/readbacks'), readbackBytes: num('gpu/readback_bytes'), tps: num('tokens_per_s'),
        rolloutTps: generated / Math.max(1e-9, num('time/rollout')), trainTps: num('num_tokens') / Math.max(1e-9, num('time/update')),
      });
      await yieldToLoop();
    }
    watch?.stop();
    const med = (key: string) => median(rows.map((r) => r[key]));
    const batches = Math.ceil((o.promptsPerStep * o.groupSize) / trainer.decoder.maxB);
    const per = (n: number) => n / Math.max(1, o.reps);
    return {
      backend: k.name,
      config: { promptsPerStep: o.promptsPerStep, groupSize: o.groupSize, maxCompletionLength: o.maxCompletionLength, model: 'tiny' },
      steps_measured: o.reps,
      rollout_ms: med('rollout'), reward_ms: med('reward'), update_ms: med('update'), total_ms: med('total'),
      dispatches: med('dispatches'), submits: med('submits'), readbacks: med('readbacks'), readback_bytes: med('readbackBytes'),
      rollout_batches: batches, tokens_per_s: med('tps'), rollout_tokens_per_s: med('rolloutTps'), train_tokens_per_s: med('trainTps'),
      bytes_held_start: held0, bytes_held_end: k.counters().bytesHeld,
      buffers_created_per_step: watch ? per(watch.counts.buffers) : null,
      bind_groups_created_per_step: watch ? per(watch.counts.bindGroups) : null,
      pipelines_created_after_startup: watch ? watch.counts.pipelines : null,
    };
  } finally {
    trainer.destroy();
  }
}
