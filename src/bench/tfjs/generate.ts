// Generation in TensorFlow.js, the two ways a TF.js user would write it (TF.js has no KV cache built in):
//  - 'cache':     keep each layer's keys and values and concatenate one position per step (a simple KV cache);
//  - 'recompute': run the whole prefix through the model again for every new token.
// Both sample on the device (tf.multinomial at temperature 1), keep the log-prob of each sampled token, and
// read the tokens back once at the end, as Misstep's decoder does.
import type * as tfc from '@tensorflow/tfjs-core';
import { BOS_ID } from '../../backend/backend';
import type { TfGpt } from './model';

export type TfGenerateMode = 'cache' | 'recompute';

/** B rows from BOS, `n` sampled positions each. Returns the sampled tokens (B*n, row-major). */
export async function tfGenerate(m: TfGpt, B: number, n: number, mode: TfGenerateMode, seed: number): Promise<Int32Array> {
  const tf = m.tf;
  const V = m.cfg.vocabSize;
  let tok: tfc.Tensor = tf.fill([B, 1], BOS_ID, 'int32');
  let seq: tfc.Tensor = tok;
  let cache: tfc.Tensor[] = [];
  const picked: tfc.Tensor[] = [];
  const logps: tfc.Tensor[] = [];
  const L = m.cfg.nLayer;
  for (let pos = 0; pos < n; pos++) {
    const [next, logp, ...kept] = tf.tidy(() => {
      let logits: tfc.Tensor;
      const c = { k: cache.slice(0, L), v: cache.slice(L) };
      if (mode === 'cache') logits = m.forward(tok, B, 1, pos, c);
      else logits = tf.reshape(tf.slice(tf.reshape(m.forward(seq, B, pos + 1), [B, pos + 1, V]), [0, pos, 0], [B, 1, V]), [B, V]);
      const sampled = tf.cast(tf.multinomial(logits as tfc.Tensor2D, 1, seed + pos), 'int32');
      const lp = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.reshape(sampled, [B]), V)), -1);
      return mode === 'cache' ? [sampled, lp, ...c.k, ...c.v] : [sampled, lp, tf.concat([seq, sampled], 1)];
    });
    picked.push(next);
    logps.push(logp);
    if (mode === 'cache') {
      for (const t of cache) t.dispose();
      cache = kept;
      tok = next;
    } else {
      if (seq !== tok) seq.dispose();
      seq = kept[0];
    }
  }
  const all = tf.concat(picked, 1);
  const lps = tf.stack(logps);
  const host = (await all.data()) as Int32Array; // the only readback
  for (const t of [...picked, ...logps, ...cache, all, lps, seq]) if (!t.isDisposed) t.dispose();
  if (!tok.isDisposed) tok.dispose();
  return host;
}
