// The GRPO per-token loss and its gradient w.r.t. the logits in one pass (TRL semantics).
// Shapes: logits, dlogits (N,V); targets (N) u32; tokenData (N,3) = [advantage, weight, mode];
// oldLogp, refLogp (N); stats (N,4) = [logp, entropy, k3, clipCode].
//
// Per token, with logp the target's log-prob and r = exp(logp - oldLogp):
//   CLIPPED:   policyLoss = -min(r*A, clip(r, 1-epsLow, 1+epsHigh)*A)
//   ON_POLICY: the same with oldLogp := logp detached, so r = 1 exactly and d/dlogp = -A
//   SHAPED:    policyLoss = -(r / (r + gamma)) * A
//   plus, when beta > 0, beta * k3 with k3 = exp(ref - logp) - (ref - logp) - 1.
// Everything is scaled by the row weight. d logp / d logits = onehot(target) - softmax(logits).

import { ClipCode, TOKEN_DATA, TOKEN_STATS, TokenMode, type GrpoLossSettings } from '../../backend';
import { checkTarget, softmaxRowEntropy, softmaxRowStats, type SoftmaxRowStats } from './logprob';


/** What one token contributes: its (unweighted) loss, d loss / d logp, k3 and the clip code. */
export interface GrpoTokenTerms {
  loss: number;
  dlossDlogp: number;
  k3: number;
  clipCode: number;
}

/**
 * The loss terms of one token before the row weight. Mutates `into` (no allocation per token).
 * The clip follows TRL: the gradient of -min(u, c) flows through the unclipped term u = r*A when it is the
 * min (or the two are equal), else it is 0; the clip code marks only the tokens where clipping bites.
 */
export function grpoTokenTerms(
  logp: number, advantage: number, mode: number, oldLogp: number, refLogp: number,
  s: GrpoLossSettings, into: GrpoTokenTerms,
): void {
  let loss = 0;
  let dlossDlogp = 0;
  let clipCode: number = ClipCode.NONE;
  if (mode === TokenMode.ON_POLICY) {
    loss = -advantage; // r = 1, and d r / d logp = r = 1
    dlossDlogp = -advantage;
  } else if (mode === TokenMode.SHAPED) {
    const r = Math.exp(logp - oldLogp);
    const denom = r + s.gamma;
    loss = -(r / denom) * advantage;
    dlossDlogp = (-advantage * s.gamma * r) / (denom * denom); // d/dr [r/(r+g)] = g/(r+g)^2, times dr/dlogp = r
  } else if (mode === TokenMode.CLIPPED) {
    const r = Math.exp(logp - oldLogp);
    const unclipped = r * advantage;
    const clipped = Math.min(Math.max(r, 1 - s.epsLow), 1 + s.epsHigh) * advantage;
    loss = -Math.min(unclipped, clipped);
    dlossDlogp = unclipped <= clipped ? -advantage * r : 0;
    if (advantage < 0 && r < 1 - s.epsLow) clipCode = ClipCode.LOW;
    else if (advantage > 0 && r > 1 + s.epsHigh) clipCode = ClipCode.HIGH;
  } else {
    throw new RangeError(`grpoLossBackward: unknown token mode ${mode}`);
  }
  let k3 = 0;
  if (s.beta > 0) {
    // k3 is an unbiased, always >= 0 estimate of KL(policy || ref); d k3 / d logp = 1 - exp(ref - logp).
    const delta = refLogp - logp;
    const ratio = Math.exp(delta);
    k3 = ratio - delta - 1;
    loss += s.beta * k3;
    dlossDlogp += s.beta * (1 - ratio);
  }
  into.loss = loss;
  into.dlossDlogp = dlossDlogp;
  into.k3 = k3;
  into.clipCode = clipCode;
}

/**
 * dlogits[n,:] = weight[n] * dloss/dlogp * (onehot(target) - softmax(logits[n])), OVERWRITTEN.
 * stats[n,:] = [logp, entropy, k3 (0 when beta = 0), clipCode], written for every row, weight 0 or not.
 */
export function grpoLossBackward(
  dlogits: Float32Array, stats: Float32Array, logits: Float32Array, targets: Uint32Array,
  tokenData: Float32Array, oldLogp: Float32Array, refLogp: Float32Array, N: number, V: number,
  settings: GrpoLossSettings,
): void {
  const row: SoftmaxRowStats = { max: 0, expSum: 0 };
  const terms: GrpoTokenTerms = { loss: 0, dlossDlogp: 0, k3: 0, clipCode: 0 };
  for (let n = 0; n < N; n++) {
    const off = n * V;
    const target = targets[n];
    checkTarget(target, V, 'grpoLossBackward');
    softmaxRowStats(logits, off, V, row);
    const logZ = Math.log(row.expSum);
    const logp = logits[off + target] - row.max - logZ;
    const td = n * TOKEN_DATA.columns;
    const advantage = tokenData[td + TOKEN_DATA.advantage];
    const weight = tokenData[td + TOKEN_DATA.weight];
    const mode = tokenData[td + TOKEN_DATA.mode];
    grpoTokenTerms(logp, advantage, mode, oldLogp[n], refLogp[n], settings, terms);

    const st = n * TOKEN_STATS.columns;
    stats[st + TOKEN_STATS.logp] = logp;
    stats[st + TOKEN_STATS.entropy] = softmaxRowEntropy(logits, off, V, row);
    stats[st + TOKEN_STATS.k3] = terms.k3;
    stats[st + TOKEN_STATS.clipCode] = terms.clipCode;

    // Masked rows get an exact 0 (even if their terms are inf/NaN, e.g. garbage old log-probs).
    const g = weight === 0 ? 0 : weight * terms.dlossDlogp;
    if (g === 0) {
      dlogits.fill(0, off, off + V);
      continue;
    }
    for (let v = 0; v < V; v++) {
      const p = Math.exp(logits[off + v] - row.max - logZ);
      dlogits[off + v] = g * ((v === target ? 1 : 0) - p);
    }
  }
}
