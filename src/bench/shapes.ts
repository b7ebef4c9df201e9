// The shapes the benchmark measures: those of the shipped policy (the `tiny` preset: 2 layers, C=64,
// 4 heads, vocabulary 24, context 80) in one training step and in one decode step of a rollout batch.
import { MODEL_PRESETS, type GPTConfig } from '../model/config';

export interface BenchShapes {
  cfg: GPTConfig;
  B: number; // training sequences per step
  T: number; // training sequence length
  decodeB: number; // rollout rows decoded together
  decodePos: number; // the KV-cache position measured for attentionDecode
  genTokens: number; // positions generated per rollout in the generation comparisons
}

/** Full mode: a training batch of 32 x 64 (the bench's reference shape) and 128 rollout rows. */
export const FULL_SHAPES: BenchShapes = { cfg: MODEL_PRESETS.tiny, B: 32, T: 64, decodeB: 128, decodePos: 40, genTokens: 48 };

/** Quick mode (CI): the same model, a smaller batch, so the whole run stays under two minutes. */
export const QUICK_SHAPES: BenchShapes = { cfg: MODEL_PRESETS.tiny, B: 8, T: 64, decodeB: 32, decodePos: 40, genTokens: 24 };
