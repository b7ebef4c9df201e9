// Plain float64 references of the layer ops, written straight from the math (no tiling, no tricks), so they
// share no code and no loop structure with the fast ops they check. Inputs are any array of numbers.
type Arr = ArrayLike<number>;

export function naiveEncoderForward(tokens: Arr, wte: Arr, wpe: Arr, B: number, T: number, C: number): Float64Array {
  const out = new Float64Array(B * T * C);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let c = 0; c < C; c++) out[(b * T + t) * C + c] = wte[tokens[b * T + t] * C + c] + wpe[t * C + c];
  return out;
}

export function naiveLayernormForward(x: Arr, w: Arr, bias: Arr, N: number, C: number) {
  const out = new Float64Array(N * C);
  const mean = new Float64Array(N);
  const rstd = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let mu = 0;
    for (let c = 0; c < C; c++) mu += x[n * C + c] / C;
    let variance = 0;
    for (let c = 0; c < C; c++) variance += (x[n * C + c] - mu) ** 2 / C;
    mean[n] = mu;
    rstd[n] = 1 / Math.sqrt(variance + 1e-5);
    for (let c = 0; c < C; c++) out[n * C + c] = ((x[n * C + c] - mu) * rstd[n]) * w[c] + bias[c];
  }
  return { out, mean, rstd };
}

/** Backward through the full Jacobian d norm_j / d x_i = rstd (delta_ij - 1/C) - rstd norm_i norm_j / C. */
export function naiveLayernormBackward(dout: Arr, x: Arr, w: Arr, N: number, C: number) {
  const { mean, rstd } = naiveLayernormForward(x, w, new Float64Array(C), N, C);
  const dx = new Float64Array(N * C);
  const dw = new Float64Array(C);
  const db = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const norm = (c: number) => (x[n * C + c] - mean[n]) * rstd[n];
    for (let j = 0; j < C; j++) {
      dw[j] += dout[n * C + j] * norm(j);
      db[j] += dout[n * C + j];
    }
    for (let i = 0; i < C; i++) {
      let sum = 0;
      for (let j = 0; j < C; j++) {
        const jacobian = rstd[n] * ((i === j ? 1 : 0) - 1 / C) - (rstd[n] * norm(i) * norm(j)) / C;
        sum += dout[n * C + j] * w[j] * jacobian;
      }
      dx[n * C + i] = sum;
    }
  }
  return { dx, dw, db };
}

export function naiveMatmulForward(x: Arr, w: Arr, bias: Arr | null, N: number, C: number, OC: number): Float64Array {
  const out = new Float64Array(N * OC);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < OC; o++) {
      let s = bias === null ? 0 : bias[o];
      for (let c = 0; c < C; c++) s += x[n * C + c] * w[o * C + c];
      out[n * OC + o] = s;
    }
  return out;
}

export function naiveMatmulBackward(dout: Arr, x: Arr, w: Arr, N: number, C: number, OC: number) {
  const dx = new Float64Array(N * C);
  const dw = new Float64Array(OC * C);
  const db = new Float64Array(OC);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < OC; o++)
      for (let c = 0; c < C; c++) {
        dx[n * C + c] += dout[n * OC + o] * w[o * C + c];
        dw[o * C + c] += dout[n * OC + o] * x[n * C + c];
      }
  for (let n = 0; n < N; n++) for (let o = 0; o < OC; o++) db[o] += dout[n * OC + o];
  return { dx, dw, db };
}

/** Index helpers of qkv (B,T,3C): part 0 = q, 1 = k, 2 = v. */
function qkvIndex(b: number, t: number, part: number, h: number, i: number, T: number, C: number, hs: number): number {
  return (b * T + t) * 3 * C + part * C + h * hs + i;
}

export function naiveAttentionForward(qkv: Arr, B: number, T: number, C: number, NH: number) {
  const hs = C / NH;
  const out = new Float64Array(B * T * C);
  const att = new Float64Array(B * NH * T * T);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < NH; h++)
      for (let t = 0; t < T; t++) {
        const scores: number[] = [];
        for (let t2 = 0; t2 <= t; t2++) {
          let dot = 0;
          for (let i = 0; i < hs; i++) dot += qkv[qkvIndex(b, t, 0, h, i, T, C, hs)] * qkv[qkvIndex(b, t2, 1, h, i, T, C, hs)];
          scores.push(dot / Math.sqrt(hs));
        }
        const z = scores.reduce((acc, s) => acc + Math.exp(s), 0);
        for (let t2 = 0; t2 <= t; t2++) att[((b * NH + h) * T + t) * T + t2] = Math.exp(scores[t2]) / z;
        for (let i = 0; i < hs; i++) {
          let s = 0;
          for (let t2 = 0; t2 <= t; t2++) s += att[((b * NH + h) * T + t) * T + t2] * qkv[qkvIndex(b, t2, 2, h, i, T, C, hs)];
          out[(b * T + t) * C + h * hs + i] = s;
        }
      }
  return { out, att };
}

/** Backward with the softmax Jacobian P_j (delta_jk - P_k) applied as a double loop. */
export function naiveAttentionBackward(dout: Arr, qkv: Arr, B: number, T: number, C: number, NH: number): Float64Array {
  const hs = C / NH;
  const { att } = naiveAttentionForward(qkv, B, T, C, NH);
  const dqkv = new Float64Array(B * T * 3 * C);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < NH; h++)
      for (let t = 0; t < T; t++) {
        const p = (t2: number) => att[((b * NH + h) * T + t) * T + t2];
        const dp = new Float64Array(t + 1);
        for (let t2 = 0; t2 <= t; t2++)
          for (let i = 0; i < hs; i++) {
            const d = dout[(b * T + t) * C + h * hs + i];
            dp[t2] += d * qkv[qkvIndex(b, t2, 2, h, i, T, C, hs)];
            dqkv[qkvIndex(b, t2, 2, h, i, T, C, hs)] += p(t2) * d;
          }
        for (let k = 0; k <= t; k++) {
          let dscore = 0;
          for (let j = 0; j <= t; j++) dscore += dp[j] * p(j) * ((j === k ? 1 : 0) - p(k));
          dscore /= Math.sqrt(hs);
          for (let i = 0; i < hs; i++) {
            dqkv[qkvIndex(b, t, 0, h, i, T, C, hs)] += dscore * qkv[qkvIndex(b, k, 1, h, i, T, C, hs)];
            dqkv[qkvIndex(b, k, 1, h, i, T, C, hs)] += dscore * qkv[qkvIndex(b, t, 0, h, i, T, C, hs)];
          }
        }
      }
  return dqkv;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function naiveGelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)));
}

/** d/dx of naiveGelu, with tanh' = 1 - tanh^2 (the fast op uses 1/cosh^2). */
export function naiveGeluDerivative(x: number): number {
  const th = Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3));
  return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
}
