// Residual connections: the forward add and its backward (which is plain gradient accumulation).

/** out = a + b, elementwise over N */
export function residualForward(out: Float32Array, a: Float32Array, b: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) out[i] = a[i] + b[i];
}

/** dst += src, elementwise over N. Both branches of a residual receive the same gradient this way. */
export function accumulate(dst: Float32Array, src: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) dst[i] += src[i];
}
