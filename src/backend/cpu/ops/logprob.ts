// Log-probabilities and entropies of target tokens under softmax(logits), one row of V logits at a time.
// Shapes: logits (N,V), targets (N) u32, logp (N), entropy (N).

/** Row summary written by softmaxRowStats: the row max and the sum of exp(logit - max). */
export interface SoftmaxRowStats {
  max: number;
  expSum: number;
}

/** Fills `into` with the max and sum of exp(x - max) of logits[off .. off+V). Max first so exp never overflows. */
export function softmaxRowStats(logits: Float32Array, off: number, V: number, into: SoftmaxRowStats): void {
  let max = -Infinity;
  for (let v = 0; v < V; v++) if (logits[off + v] > max) max = logits[off + v];
  let expSum = 0;
  for (let v = 0; v < V; v++) expSum += Math.exp(logits[off + v] - max);
  into.max = max;
  into.expSum = expSum;
}

/** Entropy -sum p log p of softmax(logits row) = log Z - sum p * (x - max), with Z the shifted exp sum. */
export function softmaxRowEntropy(logits: Float32Array, off: number, V: number, stats: SoftmaxRowStats): number {
  const logZ = Math.log(stats.expSum);
  let pDotShifted = 0;
  for (let v = 0; v < V; v++) {
    const shifted = logits[off + v] - stats.max;
    pDotShifted += Math.exp(shifted - logZ) * shifted;
  }
  return logZ - pDotShifted;
}

/** Throws on a target outside the vocabulary (a typed array would otherwise read undefined -> NaN). */
export function checkTarget(target: number, V: number, what: string): void {
  if (target >= V) throw new RangeError(`${what}: target ${target} is outside the vocabulary of ${V}`);
}

/** logp[n] = log_softmax(logits[n])[targets[n]]; entropy[n] = H(softmax(logits[n])). No gradient. */
export function tokenLogprobs(
  logp: Float32Array, entropy: Float32Array, logits: Float32Array, targets: Uint32Array, N: number, V: number,
): void {
  const stats: SoftmaxRowStats = { max: 0, expSum: 0 };
  for (let n = 0; n < N; n++) {
    const off = n * V;
    const target = targets[n];
    checkTarget(target, V, 'tokenLogprobs');
    softmaxRowStats(logits, off, V, stats);
    logp[n] = logits[off + target] - stats.max - Math.log(stats.expSum);
    entropy[n] = softmaxRowEntropy(logits, off, V, stats);
  }
}
