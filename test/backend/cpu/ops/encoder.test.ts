import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/backend/rng';
import { encoderBackward, encoderForward } from '../../../../src/backend/cpu/ops/encoder';
import { F32_VS_F64, F32_VS_FINITE_DIFF, dotSum, expectClose, expectNonTrivial, finiteDiffGradient } from '../helpers/check';
import { naiveEncoderForward } from '../helpers/naiveLayers';
import { f64, randomF32, randomTokens } from '../helpers/random';

const B = 2, T = 5, C = 12, V = 11, maxT = 7;

function inputs(seed: number) {
  const rng = new Rng(seed);
  const tokens = randomTokens(rng, B * T, V);
  tokens[3] = tokens[7] = 4; // a repeated token: its gradient rows must add up
  return { tokens, wte: randomF32(rng, V * C), wpe: randomF32(rng, maxT * C), dout: randomF32(rng, B * T * C) };
}

describe('encoderForward', () => {
  it('matches the naive wte[token] + wpe[t]', () => {
    const { tokens, wte, wpe } = inputs(1);
    const out = new Float32Array(B * T * C);
    encoderForward(out, tokens, wte, wpe, B, T, C);
    expectClose(out, naiveEncoderForward(tokens, wte, wpe, B, T, C), F32_VS_F64, 'out');
  });

  it('throws on a token id outside wte and on T beyond wpe', () => {
    const { tokens, wte, wpe } = inputs(2);
    tokens[0] = V;
    expect(() => encoderForward(new Float32Array(B * T * C), tokens, wte, wpe, B, T, C)).toThrow(/outside the table/);
    expect(() => encoderForward(new Float32Array(B * 8 * C), new Uint32Array(B * 8), wte, wpe, B, 8, C)).toThrow(/positions/);
  });
});

describe('encoderBackward', () => {
  it('matches central finite differences of sum(dout * out) w.r.t. wte and wpe', () => {
    const { tokens, wte, wpe, dout } = inputs(3);
    const dwte = new Float32Array(V * C), dwpe = new Float32Array(maxT * C);
    encoderBackward(dwte, dwpe, dout, tokens, B, T, C);
    const te = f64(wte), pe = f64(wpe);
    const loss = () => dotSum(dout, naiveEncoderForward(tokens, te, pe, B, T, C));
    for (const [name, fast, param] of [['dwte', dwte, te], ['dwpe', dwpe, pe]] as const) {
      const fd = finiteDiffGradient(loss, param);
      expectNonTrivial(fd, name);
      expectClose(fast, fd, F32_VS_FINITE_DIFF, `${name} vs finite differences`);
    }
    // Positions past T and tokens never used get exactly nothing.
    expect(dwpe.subarray(T * C).every((g) => g === 0)).toBe(true);
  });

  it('accumulates: two calls give twice the gradient, on top of existing values', () => {
    const { tokens, dout } = inputs(4);
    const once = { te: new Float32Array(V * C), pe: new Float32Array(maxT * C) };
    const twice = { te: new Float32Array(V * C).fill(1), pe: new Float32Array(maxT * C).fill(1) };
    encoderBackward(once.te, once.pe, dout, tokens, B, T, C);
    encoderBackward(twice.te, twice.pe, dout, tokens, B, T, C);
    encoderBackward(twice.te, twice.pe, dout, tokens, B, T, C);
    expectClose(twice.te, once.te.map((g) => 1 + 2 * g), F32_VS_F64, 'dwte doubled');
    expectClose(twice.pe, once.pe.map((g) => 1 + 2 * g), F32_VS_F64, 'dwpe doubled');
  });
});

describe('the encoder without a position table (rope models)', () => {
  it('forward is the token row; backward its gradient, accumulated, tokens past the table refused', () => {
    const { tokens, wte, dout } = inputs(5);
    const out = new Float32Array(B * T * C).fill(7); // garbage: every element must be written
    encoderForward(out, tokens, wte, null, B, T, C);
    const zeros = new Float64Array(T * C);
    expectClose(out, naiveEncoderForward(tokens, f64(wte), zeros, B, T, C), F32_VS_F64, 'out');
    const dwte = new Float32Array(V * C).fill(1);
    encoderBackward(dwte, null, dout, tokens, B, T, C);
    const te = f64(wte);
    const fd = finiteDiffGradient(() => dotSum(dout, naiveEncoderForward(tokens, te, zeros, B, T, C)), te);
    expectNonTrivial(fd, 'dwte');
    expectClose(dwte, fd.map((g) => 1 + g), F32_VS_FINITE_DIFF, 'dwte on top of 1');
    tokens[2] = V;
    expect(() => encoderForward(out, tokens, wte, null, B, T, C)).toThrow(/outside the table/);
    expect(() => encoderBackward(dwte, null, dout, tokens, B, T, C)).toThrow(/outside the table/);
  });
});
