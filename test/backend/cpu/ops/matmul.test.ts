import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/backend/rng';
import { matmulBackward, matmulForward } from '../../../../src/backend/cpu/ops/matmul';
import { F32_VS_F64, F32_VS_FINITE_DIFF, dotSum, expectClose, expectNonTrivial, finiteDiffGradient } from '../helpers/check';
import { naiveMatmulBackward, naiveMatmulForward } from '../helpers/naiveLayers';
import { f64, randomF32 } from '../helpers/random';

// N=10 (not a multiple of the 4-row tile) and OC=7 (odd: exercises the leftover output channel).
const N = 10, C = 12, OC = 7;

function inputs(seed: number) {
  const rng = new Rng(seed);
  return { inp: randomF32(rng, N * C), weight: randomF32(rng, OC * C, 0.3), bias: randomF32(rng, OC), dout: randomF32(rng, N * OC) };
}

describe('matmulForward', () => {
  it('matches the naive float64 product, with and without bias, for several shapes', () => {
    for (const [n, c, oc] of [[N, C, OC], [1, 5, 1], [4, 3, 2], [13, 33, 9]]) {
      const rng = new Rng(n * 100 + oc);
      const inp = randomF32(rng, n * c);
      const weight = randomF32(rng, oc * c, 0.3);
      const bias = randomF32(rng, oc);
      for (const b of [bias, null]) {
        const out = new Float32Array(n * oc);
        matmulForward(out, inp, weight, b, n, c, oc);
        const expected = naiveMatmulForward(inp, weight, b, n, c, oc);
        expectNonTrivial(expected, 'matmul out');
        // atol 1e-5: outputs are sums of c ~ N(0, 0.09) terms rounded once to f32 (|out| < ~10).
        expectClose(out, expected, { rtol: 1e-5, atol: 1e-5 }, `matmul ${n}x${c}x${oc} bias=${b !== null}`);
      }
    }
  });
});

describe('matmulBackward', () => {
  it('matches the naive float64 gradients', () => {
    const { inp, weight, dout } = inputs(1);
    const dinp = new Float32Array(N * C), dweight = new Float32Array(OC * C), dbias = new Float32Array(OC);
    matmulBackward(dinp, dweight, dbias, dout, inp, weight, N, C, OC);
    const ref = naiveMatmulBackward(dout, inp, weight, N, C, OC);
    expectClose(dinp, ref.dx, F32_VS_F64, 'dinp');
    expectClose(dweight, ref.dw, F32_VS_F64, 'dweight');
    expectClose(dbias, ref.db, F32_VS_F64, 'dbias');
  });

  it('matches central finite differences of sum(dout * out) in float64', () => {
    const { inp, weight, bias, dout } = inputs(2);
    const x = f64(inp), w = f64(weight), b = f64(bias);
    const loss = () => dotSum(dout, naiveMatmulForward(x, w, b, N, C, OC));
    const dinp = new Float32Array(N * C), dweight = new Float32Array(OC * C), dbias = new Float32Array(OC);
    matmulBackward(dinp, dweight, dbias, dout, inp, weight, N, C, OC);
    for (const [name, fast, param] of [['dinp', dinp, x], ['dweight', dweight, w], ['dbias', dbias, b]] as const) {
      const fd = finiteDiffGradient(loss, param);
      expectNonTrivial(fd, name);
      expectClose(fast, fd, F32_VS_FINITE_DIFF, `${name} vs finite differences`);
    }
  });

  it('accumulates: two calls give twice the gradient; a null dbias is skipped', () => {
    const { inp, weight, dout } = inputs(3);
    const once = { dinp: new Float32Array(N * C), dweight: new Float32Array(OC * C) };
    const twice = { dinp: new Float32Array(N * C), dweight: new Float32Array(OC * C), dbias: new Float32Array(OC) };
    matmulBackward(once.dinp, once.dweight, null, dout, inp, weight, N, C, OC);
    matmulBackward(twice.dinp, twice.dweight, twice.dbias, dout, inp, weight, N, C, OC);
    matmulBackward(twice.dinp, twice.dweight, twice.dbias, dout, inp, weight, N, C, OC);
    expectClose(twice.dinp, once.dinp.map((g) => 2 * g), F32_VS_F64, 'dinp doubled');
    expectClose(twice.dweight, once.dweight.map((g) => 2 * g), F32_VS_F64, 'dweight doubled');
    expectNonTrivial(twice.dbias, 'dbias');
  });

  it('leaves gradients untouched when dout is zero (nothing is overwritten)', () => {
    const { inp, weight } = inputs(4);
    const dinp = new Float32Array(N * C).fill(0.5);
    const dweight = new Float32Array(OC * C).fill(-0.25);
    matmulBackward(dinp, dweight, null, new Float32Array(N * OC), inp, weight, N, C, OC);
    expect(dinp.every((g) => g === 0.5)).toBe(true);
    expect(dweight.every((g) => g === -0.25)).toBe(true);
  });
});
