// On-device sampling of the next token of each row (the CPU twin of the WGSL sampler).
// Shapes: tokens (B,Tseq) u32, logps (B,Tseq) f32, logits (B,V), promptLen (B) u32.

import { EOS_ID, PAD_ID, type SampleSettings } from '../../backend';
import { rngUniform } from '../../rng';

/**
 * The top-k cut-off of one row as (logit, index) of the k-th best token, ranking by logit descending with
 * ties broken by lower index. Token v is kept iff logits[v] > cutLogit, or logits[v] == cutLogit and
 * v <= cutIndex. One pass over V per rank, O(V*k), cheap for the small k used; k >= V (or 0) keeps all.
 */
function topKCutoff(logits: Float32Array, off: number, V: number, k: number, into: { logit: number; index: number }): void {
  into.logit = -Infinity;
  into.index = V - 1;
  if (k <= 0 || k >= V) return;
  // Walk down the ranking: the next token is the best one strictly below the previous (logit, index) rank.
  let prevLogit = Infinity;
  let prevIndex = -1;
  for (let rank = 0; rank < k; rank++) {
    let bestLogit = -Infinity;
    let bestIndex = -1;
    for (let v = 0; v < V; v++) {
      const x = logits[off + v];
      const belowPrev = x < prevLogit || (x === prevLogit && v > prevIndex);
      if (belowPrev && (bestIndex < 0 || x > bestLogit)) {
        bestLogit = x;
        bestIndex = v;
      }
    }
    if (bestIndex < 0) return; // fewer than k comparable logits (NaNs): keep what ranks
    prevLogit = bestLogit;
    prevIndex = bestIndex;
  }
  into.logit = prevLogit;
  into.index = prevIndex;
}

/**
 * Chooses token pos+1 of every row, following the rules of Backend.sampleNext:
 *  - pos+1 >= Tseq: nothing;
 *  - pos+1 < promptLen[b]: the prompt token stays, logps[b,pos+1] = 0;
 *  - tokens[b,pos] is EOS or PAD (with pos >= promptLen[b]): the row is finished, write PAD, logp 0;
 *  - else inverse-CDF sampling of softmax(logits/temperature) over the top-k (in index order) with
 *    u = rngUniform(seed, step, rowOffset + b, pos + 1); logps gets the log-prob under the FULL tempered
 *    softmax (no top-k renormalisation), which is what the trainer's logprob recomputation sees.
 */
export function sampleNext(
  tokens: Uint32Array, logps: Float32Array, logits: Float32Array, promptLen: Uint32Array,
  B: number, V: number, Tseq: number, pos: number, s: SampleSettings,
): void {
  if (!(s.temperature > 0)) throw new RangeError(`sampleNext: temperature must be > 0, got ${s.temperature}`);
  if (pos + 1 >= Tseq) return;
  const next = pos + 1;
  const invTemperature = 1 / s.temperature;
  const cut = { logit: -Infinity, index: V - 1 };
  for (let b = 0; b < B; b++) {
    const at = b * Tseq + next;
    if (next < promptLen[b]) {
      logps[at] = 0;
      continue;
    }
    // An EOS or PAD inside the prompt (the prompt's last token at pos) does not finish the row.
    const prev = tokens[b * Tseq + pos];
    if (pos >= promptLen[b] && (prev === EOS_ID || prev === PAD_ID)) {
      tokens[at] = PAD_ID;
      logps[at] = 0;
      continue;
    }
    const off = b * V;
    let max = -Infinity;
    for (let v = 0; v < V; v++) if (logits[off + v] > max) max = logits[off + v];
    topKCutoff(logits, off, V, s.topK, cut);
    // Shifted by the max before scaling, so every exponent is <= 0 whatever the temperature.
    let fullSum = 0;
    let keptSum = 0;
    let lastKept = -1;
    for (let v = 0; v < V; v++) {
      const x = logits[off + v];
      const e = Math.exp((x - max) * invTemperature);
      fullSum += e;
      if (x > cut.logit || (x === cut.logit && v <= cut.index)) {
        keptSum += e;
        lastKept = v;
      }
    }
    const u = rngUniform(s.seed >>> 0, s.step >>> 0, (s.rowOffset + b) >>> 0, next >>> 0);
    let chosen = lastKept; // if rounding leaves u above the last cumulative sum
    let cumulative = 0;
    for (let v = 0; v < V; v++) {
      const x = logits[off + v];
      if (!(x > cut.logit || (x === cut.logit && v <= cut.index))) continue;
      cumulative += Math.exp((x - max) * invTemperature) / keptSum;
      if (cumulative > u) {
        chosen = v;
        break;
      }
    }
    if (chosen < 0) throw new RangeError(`sampleNext: row ${b} has no finite logits`);
    tokens[at] = chosen;
    logps[at] = (logits[off + chosen] - max) * invTemperature - Math.log(fullSum);
  }
}
