// Causal multi-head self-attention (llm.c attention_forward / attention_backward).
// Shapes: qkv (B,T,3C) holds q | k | v per position, out (B,T,C), att (B,NH,T,T) softmax probabilities.
// Head h uses channels h*hs .. h*hs+hs-1 of each of q, k, v, with hs = C / NH.

import { scratch } from './scratch';

/** Checks that C splits evenly into NH heads and returns the head size. */
export function headSize(C: number, NH: number, what: string): number {
  const hs = C / NH;
  if (!Number.isInteger(hs) || hs <= 0) throw new RangeError(`${what}: C=${C} is not a multiple of NH=${NH}`);
  return hs;
}

/**
 * out[b,t,head h] = sum_{t2<=t} att[b,h,t,t2] * v[b,t2,h], att = softmax over t2<=t of q.k / sqrt(hs).
 * att keeps the probabilities for backward; entries above the diagonal are written as 0.
 */
export function attentionForward(
  out: Float32Array, att: Float32Array, qkv: Float32Array, B: number, T: number, C: number, NH: number,
): void {
  const hs = headSize(C, NH, 'attentionForward');
  const C3 = 3 * C;
  const scale = 1 / Math.sqrt(hs);
  const scores = scratch('attentionForward.scores', T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < NH; h++) {
        const query = b * T * C3 + t * C3 + h * hs;
        const attRow = ((b * NH + h) * T + t) * T;
        // Scores q.k for the visible keys, and their max (subtracted before exp so nothing overflows).
        let maxScore = -Infinity;
        for (let t2 = 0; t2 <= t; t2++) {
          const key = b * T * C3 + t2 * C3 + h * hs + C;
          let dot = 0;
          for (let i = 0; i < hs; i++) dot += qkv[query + i] * qkv[key + i];
          dot *= scale;
          scores[t2] = dot;
          if (dot > maxScore) maxScore = dot;
        }
        let expSum = 0;
        for (let t2 = 0; t2 <= t; t2++) {
          const e = Math.exp(scores[t2] - maxScore);
          scores[t2] = e;
          expSum += e;
        }
        const invSum = expSum === 0 ? 0 : 1 / expSum;
        for (let t2 = 0; t2 <= t; t2++) att[attRow + t2] = scores[t2] * invSum;
        for (let t2 = t + 1; t2 < T; t2++) att[attRow + t2] = 0; // causal mask, kept explicit for backward
        // Weighted sum of the values.
        const outRow = b * T * C + t * C + h * hs;
        for (let i = 0; i < hs; i++) out[outRow + i] = 0;
        for (let t2 = 0; t2 <= t; t2++) {
          const value = b * T * C3 + t2 * C3 + h * hs + 2 * C;
          const p = att[attRow + t2];
          for (let i = 0; i < hs; i++) out[outRow + i] += p * qkv[value + i];
        }
      }
    }
  }
}

/**
 * dqkv += d out / d qkv, from the saved probabilities (nothing but scores' gradients is recomputed).
 * Per (b, t, h) row: datt = dout . v; dv += att * dout; softmax backward
 * dpreatt[t3] = att[t3] * (datt[t3] - sum_t2 att[t2] * datt[t2]) (the Jacobian att*(I - att^T) applied in
 * O(T), the same value as llm.c's double loop); then dq += dpreatt * k * scale and dk += dpreatt * q * scale.
 * datt and dpreatt live in one cached scratch row of 2T.
 */
export function attentionBackward(
  dqkv: Float32Array, dout: Float32Array, qkv: Float32Array, att: Float32Array,
  B: number, T: number, C: number, NH: number,
): void {
  const hs = headSize(C, NH, 'attentionBackward');
  const C3 = 3 * C;
  const scale = 1 / Math.sqrt(hs);
  const rowScratch = scratch('attentionBackward.datt+dpreatt', 2 * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < NH; h++) {
        const attRow = ((b * NH + h) * T + t) * T;
        const doutRow = b * T * C + t * C + h * hs;
        const query = b * T * C3 + t * C3 + h * hs;
        // Backward of the weighted sum of values: into datt (scratch[0..T)) and dv.
        let attDotDatt = 0;
        for (let t2 = 0; t2 <= t; t2++) {
          const value = b * T * C3 + t2 * C3 + h * hs + 2 * C;
          const p = att[attRow + t2];
          let datt = 0;
          for (let i = 0; i < hs; i++) {
            const d = dout[doutRow + i];
            datt += qkv[value + i] * d;
            dqkv[value + i] += p * d;
          }
          rowScratch[t2] = datt;
          attDotDatt += p * datt;
        }
        // Softmax backward into dpreatt (scratch[T..2T)); the 1/sqrt(hs) of the scores is folded in here.
        for (let t2 = 0; t2 <= t; t2++) {
          rowScratch[T + t2] = att[attRow + t2] * (rowScratch[t2] - attDotDatt) * scale;
        }
        // Backward of the scores q.k: into dq and dk.
        for (let t2 = 0; t2 <= t; t2++) {
          const key = b * T * C3 + t2 * C3 + h * hs + C;
          const dpre = rowScratch[T + t2];
          if (dpre === 0) continue;
          for (let i = 0; i < hs; i++) {
            dqkv[query + i] += qkv[key + i] * dpre;
            dqkv[key + i] += qkv[query + i] * dpre;
          }
        }
      }
    }
  }
}
