// LayerNorm over the last dimension (llm.c layernorm_forward / layernorm_backward).
// Shapes: inp, out (N,C); weight, bias (C); mean, rstd (N) saved for backward.

/** Added to the variance before the square root, as in GPT-2 and llm.c. */
export const LAYERNORM_EPS = 1e-5;

/** out = (inp - mean) * rstd * weight + bias per row; the variance is the biased one (divide by C). */
export function layernormForward(
  out: Float32Array, mean: Float32Array, rstd: Float32Array,
  inp: Float32Array, weight: Float32Array, bias: Float32Array, N: number, C: number,
): void {
  for (let n = 0; n < N; n++) {
    const row = n * C;
    let sum = 0;
    for (let i = 0; i < C; i++) sum += inp[row + i];
    const m = sum / C;
    // Two passes (mean first, then squared deviations) avoid the cancellation of E[x^2] - E[x]^2.
    let sumSq = 0;
    for (let i = 0; i < C; i++) {
      const xShift = inp[row + i] - m;
      sumSq += xShift * xShift;
    }
    const s = 1 / Math.sqrt(sumSq / C + LAYERNORM_EPS);
    for (let i = 0; i < C; i++) {
      out[row + i] = (inp[row + i] - m) * s * weight[i] + bias[i];
    }
    mean[n] = m;
    rstd[n] = s;
  }
}

/**
 * Accumulates dinp, dweight, dbias. With norm = (x - mean) * rstd and dnorm = weight * dout, the input
 * gradient is rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm)): the two means are the projections
 * removed by the normalisation (shift and scale invariance).
 */
export function layernormBackward(
  dinp: Float32Array, dweight: Float32Array, dbias: Float32Array, dout: Float32Array,
  inp: Float32Array, weight: Float32Array, mean: Float32Array, rstd: Float32Array, N: number, C: number,
): void {
  for (let n = 0; n < N; n++) {
    const row = n * C;
    const m = mean[n];
    const s = rstd[n];
    let dnormMean = 0;
    let dnormNormMean = 0;
    for (let i = 0; i < C; i++) {
      const norm = (inp[row + i] - m) * s;
      const dnorm = weight[i] * dout[row + i];
      dnormMean += dnorm;
      dnormNormMean += dnorm * norm;
    }
    dnormMean /= C;
    dnormNormMean /= C;
    for (let i = 0; i < C; i++) {
      const norm = (inp[row + i] - m) * s;
      const d = dout[row + i];
      const dnorm = weight[i] * d;
      dbias[i] += d;
      dweight[i] += norm * d;
      dinp[row + i] += (dnorm - dnormMean - norm * dnormNormMean) * s;
    }
  }
}
