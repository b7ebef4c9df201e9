// Token + position embedding, the first layer of the GPT (llm.c encoder_forward / encoder_backward).
// Shapes: tokens (B,T) u32, wte (V,C), wpe (maxT,C), out (B,T,C). A rotary-position model has no wpe
// (null): the embedding is the token's row alone, and positions enter in attention (./rope.ts).

/**
 * Offset of the embedding row of `token` in a (rows, C) table. Throws instead of reading past the end:
 * an out-of-range token id on a typed array would silently become NaN far downstream.
 */
export function tableRowOffset(token: number, table: Float32Array, C: number, what: string): number {
  const offset = token * C;
  if (offset + C > table.length) {
    throw new RangeError(`${what}: token id ${token} is outside the table of ${table.length / C} rows`);
  }
  return offset;
}

/** out[b,t,:] = wte[tokens[b,t],:] + wpe[t,:]   (wpe null: wte[tokens[b,t],:] alone) */
export function encoderForward(
  out: Float32Array, tokens: Uint32Array, wte: Float32Array, wpe: Float32Array | null,
  B: number, T: number, C: number,
): void {
  if (wpe === null) {
    for (let n = 0; n < B * T; n++) {
      const wteRow = tableRowOffset(tokens[n], wte, C, 'encoderForward');
      out.set(wte.subarray(wteRow, wteRow + C), n * C);
    }
    return;
  }
  if (T * C > wpe.length) throw new RangeError(`encoderForward: T=${T} exceeds the ${wpe.length / C} positions of wpe`);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const outRow = (b * T + t) * C;
      const wteRow = tableRowOffset(tokens[b * T + t], wte, C, 'encoderForward');
      const wpeRow = t * C;
      for (let i = 0; i < C; i++) out[outRow + i] = wte[wteRow + i] + wpe[wpeRow + i];
    }
  }
}

/**
 * dwte[tokens[b,t],:] += dout[b,t,:]; dwpe[t,:] += dout[b,t,:] (dwpe null: no position table).
 * Rows are visited in a fixed order, so repeated tokens are summed deterministically (no atomics here).
 */
export function encoderBackward(
  dwte: Float32Array, dwpe: Float32Array | null, dout: Float32Array, tokens: Uint32Array,
  B: number, T: number, C: number,
): void {
  if (dwpe === null) {
    for (let n = 0; n < B * T; n++) {
      const wteRow = tableRowOffset(tokens[n], dwte, C, 'encoderBackward');
      for (let i = 0; i < C; i++) dwte[wteRow + i] += dout[n * C + i];
    }
    return;
  }
  if (T * C > dwpe.length) throw new RangeError(`encoderBackward: T=${T} exceeds the ${dwpe.length / C} positions of dwpe`);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const doutRow = (b * T + t) * C;
      const wteRow = tableRowOffset(tokens[b * T + t], dwte, C, 'encoderBackward');
      const wpeRow = t * C;
      for (let i = 0; i < C; i++) {
        const d = dout[doutRow + i];
        dwte[wteRow + i] += d;
        dwpe[wpeRow + i] += d;
      }
    }
  }
}
