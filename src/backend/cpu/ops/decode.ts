// Incremental decoding: one new position per call, keys and values kept in a cache (the decode twins of
// encoderForward and attentionForward). Shapes: tokens (B,Tseq) u32, out (B,C), qkv (B,3C),
// kCache and vCache (B,NH,Tmax,hs) with hs = C / NH.

import { headSize } from './attention';
import { tableRowOffset } from './encoder';
import { scratch } from './scratch';

/** out[b,:] = wte[tokens[b*Tseq + pos],:] + wpe[pos,:]   (wpe null: wte's row alone, a rotary-position model) */
export function encoderForwardAt(
  out: Float32Array, tokens: Uint32Array, wte: Float32Array, wpe: Float32Array | null,
  B: number, C: number, Tseq: number, pos: number,
): void {
  if (pos < 0 || pos >= Tseq) throw new RangeError(`encoderForwardAt: pos ${pos} outside 0..${Tseq - 1}`);
  if (wpe === null) {
    for (let b = 0; b < B; b++) {
      const wteRow = tableRowOffset(tokens[b * Tseq + pos], wte, C, 'encoderForwardAt');
      out.set(wte.subarray(wteRow, wteRow + C), b * C);
    }
    return;
  }
  if ((pos + 1) * C > wpe.length) throw new RangeError(`encoderForwardAt: pos ${pos} exceeds the positions of wpe`);
  const wpeRow = pos * C;
  for (let b = 0; b < B; b++) {
    const wteRow = tableRowOffset(tokens[b * Tseq + pos], wte, C, 'encoderForwardAt');
    for (let i = 0; i < C; i++) out[b * C + i] = wte[wteRow + i] + wpe[wpeRow + i];
  }
}

/**
 * Stores k and v of the new position in the caches, then attends its q over positions 0..pos:
 * out[b, head h] = sum_{t<=pos} softmax_t(q . kCache[b,h,t] / sqrt(hs)) * vCache[b,h,t].
 * The arithmetic follows attentionForward's row `pos`, so both agree to rounding.
 */
export function attentionDecode(
  out: Float32Array, kCache: Float32Array, vCache: Float32Array, qkv: Float32Array,
  B: number, C: number, NH: number, Tmax: number, pos: number,
): void {
  const hs = headSize(C, NH, 'attentionDecode');
  if (pos < 0 || pos >= Tmax) throw new RangeError(`attentionDecode: pos ${pos} outside the cache of ${Tmax}`);
  const C3 = 3 * C;
  const scale = 1 / Math.sqrt(hs);
  const scores = scratch('attentionDecode.scores', pos + 1);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      const query = b * C3 + h * hs;
      const headCache = (b * NH + h) * Tmax * hs; // start of cache rows of (b, h)
      const slot = headCache + pos * hs;
      for (let i = 0; i < hs; i++) {
        kCache[slot + i] = qkv[query + C + i];
        vCache[slot + i] = qkv[query + 2 * C + i];
      }
      let maxScore = -Infinity;
      for (let t = 0; t <= pos; t++) {
        const key = headCache + t * hs;
        let dot = 0;
        for (let i = 0; i < hs; i++) dot += qkv[query + i] * kCache[key + i];
        dot *= scale;
        scores[t] = dot;
        if (dot > maxScore) maxScore = dot;
      }
      let expSum = 0;
      for (let t = 0; t <= pos; t++) {
        const e = Math.exp(scores[t] - maxScore);
        scores[t] = e;
        expSum += e;
      }
      const invSum = expSum === 0 ? 0 : 1 / expSum;
      const outRow = b * C + h * hs;
      for (let i = 0; i < hs; i++) out[outRow + i] = 0;
      for (let t = 0; t <= pos; t++) {
        // Rounded to f32 like the probabilities attentionForward stores in att, so the two agree closely.
        const p = Math.fround(scores[t] * invSum);
        const value = headCache + t * hs;
        for (let i = 0; i < hs; i++) out[outRow + i] += p * vCache[value + i];
      }
    }
  }
}
