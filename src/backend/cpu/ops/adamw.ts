// The optimizer step: global gradient norm and AdamW (bias-corrected, decoupled weight decay), as in llm.c's
// gpt2_update plus PyTorch's clip_grad_norm_. All buffers are flat over the N parameters.

import type { AdamWSettings } from '../../backend';

/** out[0] = sqrt(sum_i grads[i]^2), summed in float64 in index order. */
export function globalNorm(out: Float32Array, grads: Float32Array, N: number): void {
  let sumSq = 0;
  for (let i = 0; i < N; i++) sumSq += grads[i] * grads[i];
  out[0] = Math.sqrt(sumSq);
}

/** Added to the norm before dividing (PyTorch's clip_grad_norm_), so a zero gradient never divides by 0. */
export const CLIP_NORM_EPS = 1e-6;

/** The factor applied to the gradients: min(1, maxGradNorm / (norm + 1e-6)), or 1 when clipping is off. */
export function gradScale(norm: number, maxGradNorm: number): number {
  if (!(maxGradNorm > 0)) return 1;
  return Math.min(1, maxGradNorm / (norm + CLIP_NORM_EPS));
}

/**
 * One AdamW step, for i < N:
 *   g = grads[i] * scale;  m = beta1 m + (1-beta1) g;  v = beta2 v + (1-beta2) g^2
 *   params -= lr * ( (m / (1-beta1^t)) / (sqrt(v / (1-beta2^t)) + eps) + weightDecay * decayMask[i] * params )
 * Decay is decoupled (it never enters m or v) and only applies where decayMask is 1 (matrices, not
 * biases, gains or embeddings chosen by the caller). decayMask may be f32 or u32 0/1 values.
 */
export function adamW(
  params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array,
  decayMask: Float32Array | Uint32Array, norm: Float32Array, N: number, s: AdamWSettings,
): void {
  if (!(s.step >= 1)) throw new RangeError(`adamW: step must be >= 1 (1-based), got ${s.step}`);
  const scale = gradScale(norm[0], s.maxGradNorm);
  const beta1Correction = 1 - Math.pow(s.beta1, s.step);
  const beta2Correction = 1 - Math.pow(s.beta2, s.step);
  for (let i = 0; i < N; i++) {
    const g = grads[i] * scale;
    const mi = s.beta1 * m[i] + (1 - s.beta1) * g;
    const vi = s.beta2 * v[i] + (1 - s.beta2) * g * g;
    const mHat = mi / beta1Correction;
    const vHat = vi / beta2Correction;
    const p = params[i];
    const decay = decayMask[i] === 0 ? 0 : s.weightDecay * p;
    params[i] = p - s.lr * (mHat / (Math.sqrt(vHat) + s.eps) + decay);
    m[i] = mi;
    v[i] = vi;
  }
}
