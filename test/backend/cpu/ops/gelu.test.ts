import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/backend/rng';
import { GELU_SCALING_FACTOR, geluBackward, geluForward } from '../../../../src/backend/cpu/ops/gelu';
import { F32_VS_F64, F32_VS_FINITE_DIFF, dotSum, expectClose, expectNonTrivial, finiteDiffGradient } from '../helpers/check';
import { naiveGelu, naiveGeluDerivative } from '../helpers/naiveLayers';
import { f64, randomF32 } from '../helpers/random';

const N = 37;

function inputs(seed: number) {
  const rng = new Rng(seed);
  const inp = randomF32(rng, N, 2);
  inp[0] = 0; inp[1] = 30; inp[2] = -30; inp[3] = 500; // saturation (cosh overflows at 500: sech^2 must be 0, not NaN)
  return { inp, dout: randomF32(rng, N) };
}

describe('geluForward', () => {
  it('is the tanh approximation with sqrt(2/pi) and 0.044715', () => {
    expect(GELU_SCALING_FACTOR).toBeCloseTo(0.7978845608, 9);
    const { inp } = inputs(1);
    const out = new Float32Array(N);
    geluForward(out, inp, N);
    expectClose(out, Array.from(inp, naiveGelu), F32_VS_F64, 'gelu');
    // A known value: gelu_tanh(1) = 0.8411919906 (PyTorch approximate='tanh').
    const one = new Float32Array(1);
    geluForward(one, new Float32Array([1]), 1);
    expect(one[0]).toBeCloseTo(0.8411919906, 6);
  });
});

describe('geluBackward', () => {
  it('matches the analytic derivative and central finite differences', () => {
    const { inp, dout } = inputs(2);
    const dinp = new Float32Array(N);
    geluBackward(dinp, inp, dout, N);
    expect(dinp.every(Number.isFinite)).toBe(true);
    expectClose(dinp, Array.from(inp, (x, i) => naiveGeluDerivative(x) * dout[i]), F32_VS_F64, 'dinp vs analytic');
    const x = f64(inp);
    const fd = finiteDiffGradient(() => dotSum(dout, Array.from(x, naiveGelu)), x);
    expectNonTrivial(fd, 'dinp');
    expectClose(dinp, fd, F32_VS_FINITE_DIFF, 'dinp vs finite differences');
  });

  it('accumulates: two calls give twice the gradient', () => {
    const { inp, dout } = inputs(3);
    const once = new Float32Array(N), twice = new Float32Array(N);
    geluBackward(once, inp, dout, N);
    geluBackward(twice, inp, dout, N);
    geluBackward(twice, inp, dout, N);
    expectClose(twice, once.map((g) => 2 * g), F32_VS_F64, 'doubled');
  });
});
