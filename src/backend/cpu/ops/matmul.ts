// Fully connected layer out = inp @ weight^T + bias (llm.c matmul_forward / matmul_backward).
// Shapes: inp (N,C), weight (OC,C) (PyTorch's Linear layout), bias (OC) or null, out (N,OC).
// Both operands of every dot product are contiguous rows, so the inner loops stream through memory.

// Forward register tile: 4 input rows x 2 output channels = 8 running sums. Each weight element loaded feeds
// 4 sums and each input element feeds 2, which roughly halves the time of a plain row-by-row dot product.
const ROW_TILE = 4;
const OC_TILE = 2;

/** out[n,o] = bias[o] + sum_i inp[n,i] * weight[o,i] */
export function matmulForward(
  out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array | null,
  N: number, C: number, OC: number,
): void {
  const tiledN = N - (N % ROW_TILE);
  const tiledOC = OC - (OC % OC_TILE);
  for (let n = 0; n < tiledN; n += ROW_TILE) {
    const in0 = n * C;
    const in1 = in0 + C;
    const in2 = in1 + C;
    const in3 = in2 + C;
    const out0 = n * OC;
    for (let o = 0; o < tiledOC; o += OC_TILE) {
      const wA = o * C;
      const wB = wA + C;
      const biasA = bias === null ? 0 : bias[o];
      const biasB = bias === null ? 0 : bias[o + 1];
      let a0 = biasA, a1 = biasA, a2 = biasA, a3 = biasA;
      let b0 = biasB, b1 = biasB, b2 = biasB, b3 = biasB;
      for (let i = 0; i < C; i++) {
        const wa = weight[wA + i];
        const wb = weight[wB + i];
        const x0 = inp[in0 + i];
        const x1 = inp[in1 + i];
        const x2 = inp[in2 + i];
        const x3 = inp[in3 + i];
        a0 += x0 * wa; a1 += x1 * wa; a2 += x2 * wa; a3 += x3 * wa;
        b0 += x0 * wb; b1 += x1 * wb; b2 += x2 * wb; b3 += x3 * wb;
      }
      out[out0 + o] = a0; out[out0 + OC + o] = a1; out[out0 + 2 * OC + o] = a2; out[out0 + 3 * OC + o] = a3;
      out[out0 + o + 1] = b0; out[out0 + OC + o + 1] = b1; out[out0 + 2 * OC + o + 1] = b2; out[out0 + 3 * OC + o + 1] = b3;
    }
    for (let o = tiledOC; o < OC; o++) {
      for (let r = 0; r < ROW_TILE; r++) out[out0 + r * OC + o] = rowDot(inp, in0 + r * C, weight, o * C, C, bias, o);
    }
  }
  // The leftover rows (N not a multiple of ROW_TILE), one dot product at a time.
  for (let n = tiledN; n < N; n++) {
    for (let o = 0; o < OC; o++) out[n * OC + o] = rowDot(inp, n * C, weight, o * C, C, bias, o);
  }
}

/** bias[o] + dot(inp[inRow..inRow+C), weight[wRow..wRow+C)) */
function rowDot(
  inp: Float32Array, inRow: number, weight: Float32Array, wRow: number, C: number,
  bias: Float32Array | null, o: number,
): number {
  let s = bias === null ? 0 : bias[o];
  for (let i = 0; i < C; i++) s += inp[inRow + i] * weight[wRow + i];
  return s;
}

/** Terms summed in registers before one read-modify-write of a gradient element in the backward pass. */
const SUM_TILE = 4;

/**
 * dinp += dout @ weight; dweight += dout^T @ inp; dbias += column sums of dout.
 * dinp: for each row, add weight rows scaled by dout[n,o] (contiguous over C), SUM_TILE weight rows at a time
 * so each dinp element is loaded and stored once per SUM_TILE products (the stores dominate otherwise).
 * dweight: outer loop over OC so each dweight row stays hot while the N input rows stream past it
 * (llm.c's order; the sum over n runs in a fixed order, hence deterministic), SUM_TILE input rows at a time.
 */
export function matmulBackward(
  dinp: Float32Array, dweight: Float32Array, dbias: Float32Array | null, dout: Float32Array,
  inp: Float32Array, weight: Float32Array, N: number, C: number, OC: number,
): void {
  const tiledOC = OC - (OC % SUM_TILE);
  for (let n = 0; n < N; n++) {
    const row = n * C;
    const doutRow = n * OC;
    for (let o = 0; o < tiledOC; o += SUM_TILE) {
      const d0 = dout[doutRow + o];
      const d1 = dout[doutRow + o + 1];
      const d2 = dout[doutRow + o + 2];
      const d3 = dout[doutRow + o + 3];
      const w0 = o * C;
      const w1 = w0 + C;
      const w2 = w1 + C;
      const w3 = w2 + C;
      for (let i = 0; i < C; i++) {
        dinp[row + i] += weight[w0 + i] * d0 + weight[w1 + i] * d1 + weight[w2 + i] * d2 + weight[w3 + i] * d3;
      }
    }
    for (let o = tiledOC; o < OC; o++) {
      const d = dout[doutRow + o];
      const w = o * C;
      for (let i = 0; i < C; i++) dinp[row + i] += weight[w + i] * d;
    }
  }
  const tiledN = N - (N % SUM_TILE);
  for (let o = 0; o < OC; o++) {
    const w = o * C;
    let biasSum = 0;
    for (let n = 0; n < tiledN; n += SUM_TILE) {
      const d0 = dout[n * OC + o];
      const d1 = dout[(n + 1) * OC + o];
      const d2 = dout[(n + 2) * OC + o];
      const d3 = dout[(n + 3) * OC + o];
      biasSum += d0 + d1 + d2 + d3;
      const r0 = n * C;
      const r1 = r0 + C;
      const r2 = r1 + C;
      const r3 = r2 + C;
      for (let i = 0; i < C; i++) {
        dweight[w + i] += inp[r0 + i] * d0 + inp[r1 + i] * d1 + inp[r2 + i] * d2 + inp[r3 + i] * d3;
      }
    }
    for (let n = tiledN; n < N; n++) {
      const d = dout[n * OC + o];
      biasSum += d;
      const row = n * C;
      for (let i = 0; i < C; i++) dweight[w + i] += inp[row + i] * d;
    }
    if (dbias !== null) dbias[o] += biasSum;
  }
}
