// GELU with the tanh approximation, exactly as GPT-2 and llm.c (gelu_forward / gelu_backward).

/** sqrt(2 / pi) */
export const GELU_SCALING_FACTOR = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/** out = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))) */
export function geluForward(out: Float32Array, inp: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) {
    const x = inp[i];
    const cube = GELU_CUBIC * x * x * x;
    out[i] = 0.5 * x * (1 + Math.tanh(GELU_SCALING_FACTOR * (x + cube)));
  }
}

/** dinp += gelu'(inp) * dout, with d tanh(u)/du = sech^2(u) = 1 / cosh^2(u) as in llm.c. */
export function geluBackward(dinp: Float32Array, inp: Float32Array, dout: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) {
    const x = inp[i];
    const cube = GELU_CUBIC * x * x * x;
    const tanhArg = GELU_SCALING_FACTOR * (x + cube);
    const tanhOut = Math.tanh(tanhArg);
    const coshOut = Math.cosh(tanhArg); // Infinity for huge |x|: sech^2 then becomes 0, which is right
    const sechOut = 1 / (coshOut * coshOut);
    const localGrad = 0.5 * (1 + tanhOut) + x * 0.5 * sechOut * GELU_SCALING_FACTOR * (1 + 3 * GELU_CUBIC * x * x);
    dinp[i] += localGrad * dout[i];
  }
}
