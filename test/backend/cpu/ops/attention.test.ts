import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/backend/rng';
import { attentionBackward, attentionForward } from '../../../../src/backend/cpu/ops/attention';
import { F32_VS_F64, F32_VS_FINITE_DIFF, dotSum, expectClose, expectNonTrivial, finiteDiffGradient } from '../helpers/check';
import { naiveAttentionBackward, naiveAttentionForward } from '../helpers/naiveLayers';
import { f64, randomF32 } from '../helpers/random';

const B = 2, T = 5, C = 12, NH = 3;

function inputs(seed: number) {
  const rng = new Rng(seed);
  return { qkv: randomF32(rng, B * T * 3 * C), dout: randomF32(rng, B * T * C) };
}

function forward(qkv: Float32Array) {
  const out = new Float32Array(B * T * C);
  const att = new Float32Array(B * NH * T * T).fill(9); // garbage: the op must write every entry
  attentionForward(out, att, qkv, B, T, C, NH);
  return { out, att };
}

describe('attentionForward', () => {
  it('matches naive causal attention; att holds probabilities, rows sum to 1, zeros above the diagonal', () => {
    const { qkv } = inputs(1);
    const { out, att } = forward(qkv);
    const ref = naiveAttentionForward(qkv, B, T, C, NH);
    expectClose(out, ref.out, F32_VS_F64, 'out');
    expectClose(att, ref.att, F32_VS_F64, 'att');
    for (let row = 0; row < B * NH * T; row++) {
      const t = row % T;
      let sum = 0;
      for (let t2 = 0; t2 < T; t2++) {
        if (t2 > t) expect(att[row * T + t2]).toBe(0);
        sum += att[row * T + t2];
      }
      expect(sum).toBeCloseTo(1, 6);
    }
  });

  it('rejects C not divisible by NH', () => {
    expect(() => attentionForward(new Float32Array(10), new Float32Array(10), new Float32Array(30), 1, 1, 10, 3)).toThrow(/multiple/);
  });
});

describe('attentionBackward', () => {
  it('matches the naive double-loop softmax backward and central finite differences', () => {
    const { qkv, dout } = inputs(2);
    const { att } = forward(qkv);
    const dqkv = new Float32Array(B * T * 3 * C);
    attentionBackward(dqkv, dout, qkv, att, B, T, C, NH);
    expectClose(dqkv, naiveAttentionBackward(dout, qkv, B, T, C, NH), { rtol: 1e-5, atol: 1e-5 }, 'dqkv vs naive');
    const x = f64(qkv);
    const fd = finiteDiffGradient(() => dotSum(dout, naiveAttentionForward(x, B, T, C, NH).out), x);
    expectNonTrivial(fd, 'dqkv');
    expectClose(dqkv, fd, F32_VS_FINITE_DIFF, 'dqkv vs finite differences');
  });

  it('accumulates: two calls give twice the gradient', () => {
    const { qkv, dout } = inputs(3);
    const { att } = forward(qkv);
    const once = new Float32Array(B * T * 3 * C), twice = new Float32Array(B * T * 3 * C);
    attentionBackward(once, dout, qkv, att, B, T, C, NH);
    attentionBackward(twice, dout, qkv, att, B, T, C, NH);
    attentionBackward(twice, dout, qkv, att, B, T, C, NH);
    expectClose(twice, once.map((g) => 2 * g), { rtol: 1e-5, atol: 1e-6 }, 'doubled');
  });

  it('gives the same result at a different T after the scratch was sized for a larger T', () => {
    const big = inputs(4);
    const bigT = 9;
    attentionBackward(new Float32Array(B * bigT * 3 * C), new Float32Array(B * bigT * C).fill(1),
      new Float32Array(B * bigT * 3 * C).fill(0.1), new Float32Array(B * NH * bigT * bigT).fill(0.1), B, bigT, C, NH);
    const { att } = forward(big.qkv);
    const dqkv = new Float32Array(B * T * 3 * C);
    attentionBackward(dqkv, big.dout, big.qkv, att, B, T, C, NH);
    expectClose(dqkv, naiveAttentionBackward(big.dout, big.qkv, B, T, C, NH), { rtol: 1e-5, atol: 1e-5 }, 'dqkv');
  });
});
