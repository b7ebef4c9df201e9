import { describe, it } from 'vitest';
import { Rng } from '../../../../src/backend/rng';
import { layernormBackward, layernormForward } from '../../../../src/backend/cpu/ops/layernorm';
import { F32_VS_F64, F32_VS_FINITE_DIFF, dotSum, expectClose, expectNonTrivial, finiteDiffGradient } from '../helpers/check';
import { naiveLayernormBackward, naiveLayernormForward } from '../helpers/naiveLayers';
import { f64, randomF32 } from '../helpers/random';

const N = 10, C = 12;

function inputs(seed: number) {
  const rng = new Rng(seed);
  const inp = randomF32(rng, N * C, 2);
  for (let i = 0; i < inp.length; i++) inp[i] += 0.5 * (i % C); // non-zero row means
  const weight = randomF32(rng, C);
  const bias = randomF32(rng, C);
  return { inp, weight, bias, dout: randomF32(rng, N * C) };
}

function forward(inp: Float32Array, weight: Float32Array, bias: Float32Array) {
  const out = new Float32Array(N * C), mean = new Float32Array(N), rstd = new Float32Array(N);
  layernormForward(out, mean, rstd, inp, weight, bias, N, C);
  return { out, mean, rstd };
}

describe('layernormForward', () => {
  it('matches the naive float64 layernorm (eps 1e-5), including the saved mean and rstd', () => {
    const { inp, weight, bias } = inputs(1);
    const fast = forward(inp, weight, bias);
    const ref = naiveLayernormForward(inp, weight, bias, N, C);
    expectClose(fast.out, ref.out, F32_VS_F64, 'out');
    expectClose(fast.mean, ref.mean, F32_VS_F64, 'mean');
    expectClose(fast.rstd, ref.rstd, F32_VS_F64, 'rstd');
  });

  it('uses eps = 1e-5: a constant row gives rstd = 1/sqrt(1e-5)', () => {
    const inp = new Float32Array(C).fill(3);
    const out = new Float32Array(C), mean = new Float32Array(1), rstd = new Float32Array(1);
    layernormForward(out, mean, rstd, inp, new Float32Array(C).fill(1), new Float32Array(C), 1, C);
    expectClose(rstd, [1 / Math.sqrt(1e-5)], { rtol: 1e-6, atol: 0 }, 'rstd of a constant row');
  });
});

describe('layernormBackward', () => {
  it('matches the naive full-Jacobian gradients and central finite differences', () => {
    const { inp, weight, bias, dout } = inputs(2);
    const { mean, rstd } = forward(inp, weight, bias);
    const dinp = new Float32Array(N * C), dweight = new Float32Array(C), dbias = new Float32Array(C);
    layernormBackward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C);

    const ref = naiveLayernormBackward(dout, inp, weight, N, C);
    expectClose(dinp, ref.dx, { rtol: 1e-5, atol: 1e-5 }, 'dinp vs naive'); // f32 mean/rstd feed in: atol 1e-5
    expectClose(dweight, ref.dw, F32_VS_F64, 'dweight vs naive');
    expectClose(dbias, ref.db, F32_VS_F64, 'dbias vs naive');

    const x = f64(inp), w = f64(weight), b = f64(bias);
    const loss = () => dotSum(dout, naiveLayernormForward(x, w, b, N, C).out);
    for (const [name, fast, param] of [['dinp', dinp, x], ['dweight', dweight, w], ['dbias', dbias, b]] as const) {
      const fd = finiteDiffGradient(loss, param);
      expectNonTrivial(fd, name);
      expectClose(fast, fd, F32_VS_FINITE_DIFF, `${name} vs finite differences`);
    }
  });

  it('accumulates: two calls give twice the gradient', () => {
    const { inp, weight, bias, dout } = inputs(3);
    const { mean, rstd } = forward(inp, weight, bias);
    const grads = (calls: number) => {
      const g = { dinp: new Float32Array(N * C), dweight: new Float32Array(C), dbias: new Float32Array(C) };
      for (let k = 0; k < calls; k++) layernormBackward(g.dinp, g.dweight, g.dbias, dout, inp, weight, mean, rstd, N, C);
      return g;
    };
    const once = grads(1), twice = grads(2);
    // Not bit-exact: every += rounds to f32, so the second pass rounds differently (~N ulps at most).
    const exact = { rtol: 1e-5, atol: 1e-6 };
    expectClose(twice.dinp, once.dinp.map((g) => 2 * g), exact, 'dinp doubled');
    expectClose(twice.dweight, once.dweight.map((g) => 2 * g), exact, 'dweight doubled');
    expectClose(twice.dbias, once.dbias.map((g) => 2 * g), exact, 'dbias doubled');
  });
});
