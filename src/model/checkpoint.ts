// Model checkpoints in the safetensors format (so they also open in Python). The model config and the
// tokenizer vocabulary travel in __metadata__. Loading validates everything at this boundary and says
// precisely what is wrong: truncated file, bad header, wrong dtype or shape, config mismatch, NaN.
import { GPTConfigSchema, type GPTConfig } from './config';
import { paramLayout } from './layout';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors';
import { VOCAB } from './vocab';

export interface Checkpoint {
  config: GPTConfig;
  /** The flat parameter buffer in the layout of paramLayout(config) (alignment padding zero). */
  params: Float32Array;
  /** Free-form string metadata (task, seed, steps, ...). */
  metadata: Record<string, string>;
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(`checkpoint: ${message}`);
    this.name = 'CheckpointError';
  }
}

const RESERVED = new Set(['config', 'vocab', 'format']);

export function saveCheckpoint(ck: Checkpoint): Uint8Array {
  const layout = paramLayout(ck.config);
  if (ck.params.length !== layout.total) {
    throw new CheckpointError(`params has ${ck.params.length} elements, the layout needs ${layout.total}`);
  }
  const tensors = layout.entries.map((e) => ({ name: e.name, shape: e.shape, data: ck.params.subarray(e.offset, e.offset + e.length) }));
  return encodeSafetensors(tensors, { ...ck.metadata, config: JSON.stringify(ck.config), vocab: JSON.stringify(VOCAB), format: 'misstep-gpt' });
}

/** Parse and validate. With `expect`, the checkpoint's config must match it field by field. */
export function loadCheckpoint(bytes: Uint8Array, expect?: Partial<GPTConfig>): Checkpoint {
  let decoded;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new CheckpointError(e.message);
    throw e;
  }
  const meta = decoded.metadata;
  if (typeof meta.config !== 'string') throw new CheckpointError('missing __metadata__.config (not a Misstep checkpoint)');
  let config: GPTConfig;
  try {
    const parsed = GPTConfigSchema.safeParse(JSON.parse(meta.config));
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    config = parsed.data;
  } catch (e) {
    throw new CheckpointError(`bad model config in metadata: ${(e as Error).message}`);
  }
  if (meta.vocab !== undefined && meta.vocab !== JSON.stringify(VOCAB)) {
    throw new CheckpointError('tokenizer vocabulary differs from this version of Misstep');
  }
  for (const [key, want] of Object.entries(expect ?? {})) {
    const got = config[key as keyof GPTConfig];
    if (got !== want) throw new CheckpointError(`config.${key} is ${got}, expected ${want}`);
  }
  const layout = paramLayout(config);
  const params = new Float32Array(layout.total);
  for (const e of layout.entries) {
    const t = decoded.tensors.get(e.name);
    if (!t) throw new CheckpointError(`tensor ${e.name} is missing`);
    if (t.dtype !== 'F32' || !t.data) throw new CheckpointError(`tensor ${e.name} has dtype ${t.dtype}, expected F32`);
    if (t.shape.join(',') !== e.shape.join(',')) throw new CheckpointError(`tensor ${e.name} has shape [${t.shape}], expected [${e.shape}]`);
    const bad = t.data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new CheckpointError(`tensor ${e.name} holds a non-finite value at index ${bad}`);
    params.set(t.data, e.offset);
  }
  const metadata = Object.fromEntries(Object.entries(meta).filter(([k]) => !RESERVED.has(k)));
  return { config, params, metadata };
}
