// A run's resumable state in one safetensors file: parameters, AdamW moments, and the rest (step,
// curriculum rho, solved problems, DenoiseRL pool, run config, the model's config) as JSON metadata. Used by the CLI's
// --resume, the lab's IndexedDB store and run export.
import { GPTConfigSchema, type GPTConfig } from '../model/config';
import { decodeSafetensors, encodeSafetensors } from '../model/safetensors';
import { parseRunConfig, type RunConfig } from './config';
import type { TrainerState } from './trainer';

export function encodeRunState(state: TrainerState, config: RunConfig): Uint8Array {
  const n = state.params.length;
  // rho and pool: the method's state (src/rl/methods/method.ts), under the names the format always had
  const meta = { step: state.step, rho: state.method.rho, solved: state.solved, pool: state.method.pool, adamStep: state.adam.t };
  return encodeSafetensors(
    [
      { name: 'params', shape: [n], data: state.params },
      { name: 'adam.m', shape: [n], data: state.adam.m },
      { name: 'adam.v', shape: [n], data: state.adam.v },
    ],
    {
      format: 'misstep-run-state', state: JSON.stringify(meta), config: JSON.stringify(config),
      ...(state.model ? { model: JSON.stringify(state.model) } : {}),
    },
  );
}

export function decodeRunState(bytes: Uint8Array): { state: TrainerState; config: RunConfig } {
  const d = decodeSafetensors(bytes);
  if (d.metadata.format !== 'misstep-run-state') throw new Error('run state: not a Misstep run-state file');
  const get = (name: string) => {
    const t = d.tensors.get(name);
    if (!t?.data) throw new Error(`run state: tensor ${name} is missing or not F32`);
    return t.data;
  };
  let meta: { step: number; rho: number; solved: number[]; pool: TrainerState['method']['pool']; adamStep: number };
  try {
    meta = JSON.parse(d.metadata.state);
  } catch {
    throw new Error('run state: the state metadata is not valid JSON');
  }
  if (!Number.isInteger(meta.step) || meta.step < 0 || !Array.isArray(meta.solved)) throw new Error('run state: bad step or solved list');
  const params = get('params');
  const m = get('adam.m');
  const v = get('adam.v');
  if (m.length !== params.length || v.length !== params.length) throw new Error('run state: optimizer moments and parameters differ in size');
  if (params.some((x) => !Number.isFinite(x))) throw new Error('run state: parameters hold NaN or Inf');
  // absent in states saved before the model config was recorded (all learned-position models)
  let model: GPTConfig | undefined;
  if (d.metadata.model !== undefined) {
    const parsed = (() => { try { return GPTConfigSchema.safeParse(JSON.parse(d.metadata.model)); } catch { return null; } })();
    if (!parsed?.success) throw new Error('run state: the model config in the metadata is not valid');
    model = parsed.data;
  }
  return {
    state: { step: meta.step, solved: meta.solved, method: { rho: meta.rho, pool: meta.pool }, params, adam: { m, v, t: meta.adamStep }, ...(model ? { model } : {}) },
    config: parseRunConfig(JSON.parse(d.metadata.config)),
  };
}
