// Plain float64 references of the loss, optimizer and sampler ops, written from docs/methods.md and backend.ts.
import type { AdamWSettings, GrpoLossSettings } from '../../../../src/backend/backend';
type Arr = ArrayLike<number>;

/** softmax(row / temperature) over one row of logits. */
export function naiveSoftmax(logits: Arr, off: number, V: number, temperature = 1): Float64Array {
  const row = Array.from({ length: V }, (_, v) => logits[off + v] / temperature);
  const max = Math.max(...row);
  const exps = row.map((x) => Math.exp(x - max));
  const z = exps.reduce((a, e) => a + e, 0);
  return Float64Array.from(exps, (e) => e / z);
}

export function naiveLogprob(logits: Arr, off: number, V: number, target: number): number {
  return Math.log(naiveSoftmax(logits, off, V)[target]);
}

export function naiveEntropy(logits: Arr, off: number, V: number): number {
  const p = naiveSoftmax(logits, off, V);
  let h = 0;
  for (const pi of p) if (pi > 0) h -= pi * Math.log(pi);
  return h;
}

export interface NaiveGrpoInputs {
  logits: Arr; // (N,V)
  targets: Arr; // (N)
  advantage: Arr;
  weight: Arr;
  mode: Arr; // 0 clipped, 1 on-policy, 2 shaped
  oldLogp: Arr;
  refLogp: Arr;
  /** log-probs at the unperturbed logits: the detached oldLogp of ON_POLICY tokens */
  detachedLogp: Arr;
  N: number;
  V: number;
}

/** The loss of one token given its log-prob (before the row weight). */
export function naiveTokenLoss(logp: number, n: number, x: NaiveGrpoInputs, s: GrpoLossSettings): number {
  const A = x.advantage[n];
  let loss: number;
  if (x.mode[n] === 2) {
    const r = Math.exp(logp - x.oldLogp[n]);
    loss = -(r / (r + s.gamma)) * A;
  } else {
    const old = x.mode[n] === 1 ? x.detachedLogp[n] : x.oldLogp[n];
    const r = Math.exp(logp - old);
    const clippedR = Math.min(1 + s.epsHigh, Math.max(1 - s.epsLow, r));
    loss = -Math.min(r * A, clippedR * A);
  }
  if (s.beta > 0) loss += s.beta * (Math.exp(x.refLogp[n] - logp) - (x.refLogp[n] - logp) - 1);
  return loss;
}

/** sum_n weight[n] * tokenLoss[n] as a function of the logits in x (the scalar the op differentiates). */
export function naiveGrpoTotalLoss(x: NaiveGrpoInputs, s: GrpoLossSettings): number {
  let total = 0;
  for (let n = 0; n < x.N; n++) {
    const logp = naiveLogprob(x.logits, n * x.V, x.V, x.targets[n]);
    total += x.weight[n] * naiveTokenLoss(logp, n, x, s);
  }
  return total;
}

/** d loss / d logits from the case analysis of the brief, times (onehot - softmax), times the weight. */
export function naiveGrpoGradient(x: NaiveGrpoInputs, s: GrpoLossSettings): Float64Array {
  const grad = new Float64Array(x.N * x.V);
  for (let n = 0; n < x.N; n++) {
    const off = n * x.V;
    const logp = naiveLogprob(x.logits, off, x.V, x.targets[n]);
    const A = x.advantage[n];
    let dlogp: number;
    if (x.mode[n] === 1) {
      dlogp = -A;
    } else if (x.mode[n] === 2) {
      const r = Math.exp(logp - x.oldLogp[n]);
      dlogp = (-A * s.gamma * r) / (r + s.gamma) ** 2;
    } else {
      const r = Math.exp(logp - x.oldLogp[n]);
      const clippedTermIsSmaller = Math.min(1 + s.epsHigh, Math.max(1 - s.epsLow, r)) * A < r * A;
      dlogp = clippedTermIsSmaller ? 0 : -A * r;
    }
    if (s.beta > 0) dlogp += s.beta * (1 - Math.exp(x.refLogp[n] - logp));
    const p = naiveSoftmax(x.logits, off, x.V);
    for (let v = 0; v < x.V; v++) grad[off + v] = x.weight[n] * dlogp * ((v === x.targets[n] ? 1 : 0) - p[v]);
  }
  return grad;
}

/** AdamW on float64 copies; returns the new params, m, v. */
export function naiveAdamW(params: Arr, grads: Arr, m: Arr, v: Arr, mask: Arr, norm: number, s: AdamWSettings) {
  const scale = s.maxGradNorm > 0 ? Math.min(1, s.maxGradNorm / (norm + 1e-6)) : 1;
  const p2 = new Float64Array(params.length);
  const m2 = new Float64Array(params.length);
  const v2 = new Float64Array(params.length);
  for (let i = 0; i < params.length; i++) {
    const g = grads[i] * scale;
    m2[i] = s.beta1 * m[i] + (1 - s.beta1) * g;
    v2[i] = s.beta2 * v[i] + (1 - s.beta2) * g * g;
    const mHat = m2[i] / (1 - s.beta1 ** s.step);
    const vHat = v2[i] / (1 - s.beta2 ** s.step);
    p2[i] = params[i] - s.lr * (mHat / (Math.sqrt(vHat) + s.eps) + s.weightDecay * mask[i] * params[i]);
  }
  return { params: p2, m: m2, v: v2 };
}

/** The tokens kept by top-k: sort all indices by (logit desc, index asc), take the first k. */
export function naiveTopK(logits: Arr, off: number, V: number, k: number): Set<number> {
  const order = Array.from({ length: V }, (_, v) => v);
  order.sort((a, b) => logits[off + b] - logits[off + a] || a - b);
  return new Set(k > 0 && k < V ? order.slice(0, k) : order);
}

/** The sampler's distribution: softmax(logits/T) restricted to the top-k and renormalised (0 elsewhere). */
export function naiveSampleProbs(logits: Arr, off: number, V: number, temperature: number, k: number): Float64Array {
  const p = naiveSoftmax(logits, off, V, temperature);
  const kept = naiveTopK(logits, off, V, k);
  let keptMass = 0;
  for (const v of kept) keptMass += p[v];
  return Float64Array.from(p, (pv, v) => (kept.has(v) ? pv / keptMass : 0));
}

/** Inverse CDF in index order over the restricted distribution: the first v whose cumulative exceeds u. */
export function naiveSample(logits: Arr, off: number, V: number, temperature: number, k: number, u: number): number {
  const q = naiveSampleProbs(logits, off, V, temperature, k);
  let cumulative = 0;
  let lastKept = -1;
  for (let v = 0; v < V; v++) {
    if (q[v] === 0) continue;
    lastKept = v;
    cumulative += q[v];
    if (cumulative > u) return v;
  }
  return lastKept;
}

/** Pearson's chi-square statistic of observed counts against expected probabilities (bins with p > 0). */
export function chiSquare(counts: Arr, probs: Arr): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  let stat = 0;
  for (let i = 0; i < counts.length; i++) {
    if (probs[i] === 0) continue;
    const expected = total * probs[i];
    stat += (counts[i] - expected) ** 2 / expected;
  }
  return stat;
}
