import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/backend/rng';
import { attentionForward } from '../../../../src/backend/cpu/ops/attention';
import { attentionDecode, encoderForwardAt } from '../../../../src/backend/cpu/ops/decode';
import { encoderForward } from '../../../../src/backend/cpu/ops/encoder';
import { expectClose } from '../helpers/check';
import { naiveAttentionForward } from '../helpers/naiveLayers';
import { randomF32, randomTokens } from '../helpers/random';

const B = 2, T = 5, C = 12, NH = 3, V = 11, Tmax = 8;
const hs = C / NH;

describe('encoderForwardAt', () => {
  it('equals row pos of encoderForward for every row and position', () => {
    const rng = new Rng(1);
    const tokens = randomTokens(rng, B * T, V), wte = randomF32(rng, V * C), wpe = randomF32(rng, T * C);
    const full = new Float32Array(B * T * C);
    encoderForward(full, tokens, wte, wpe, B, T, C);
    for (let pos = 0; pos < T; pos++) {
      const out = new Float32Array(B * C);
      encoderForwardAt(out, tokens, wte, wpe, B, C, T, pos);
      for (let b = 0; b < B; b++) {
        const expected = full.subarray((b * T + pos) * C, (b * T + pos + 1) * C);
        expect(Array.from(out.subarray(b * C, (b + 1) * C)), `b ${b} pos ${pos}`).toEqual(Array.from(expected));
      }
    }
    expect(() => encoderForwardAt(new Float32Array(B * C), tokens, wte, wpe, B, C, T, T)).toThrow(/pos/);
  });

  it('without wpe (rope models) equals row pos of encoderForward without wpe', () => {
    const rng = new Rng(2);
    const tokens = randomTokens(rng, B * T, V), wte = randomF32(rng, V * C);
    const full = new Float32Array(B * T * C);
    encoderForward(full, tokens, wte, null, B, T, C);
    for (let pos = 0; pos < T; pos++) {
      const out = new Float32Array(B * C).fill(3);
      encoderForwardAt(out, tokens, wte, null, B, C, T, pos);
      for (let b = 0; b < B; b++) {
        expect(Array.from(out.subarray(b * C, (b + 1) * C)), `b ${b} pos ${pos}`).toEqual(Array.from(wte.subarray(tokens[b * T + pos] * C, (tokens[b * T + pos] + 1) * C)));
        expect(Array.from(out.subarray(b * C, (b + 1) * C))).toEqual(Array.from(full.subarray((b * T + pos) * C, (b * T + pos + 1) * C)));
      }
    }
  });
});

describe('attentionDecode', () => {
  it('run position by position over a cache, equals attentionForward row by row', () => {
    const rng = new Rng(2);
    const qkv = randomF32(rng, B * T * 3 * C);
    const full = new Float32Array(B * T * C);
    attentionForward(full, new Float32Array(B * NH * T * T), qkv, B, T, C, NH);
    const reference = naiveAttentionForward(qkv, B, T, C, NH).out;
    const kCache = new Float32Array(B * NH * Tmax * hs).fill(NaN); // unwritten slots must never be read
    const vCache = new Float32Array(B * NH * Tmax * hs).fill(NaN);
    for (let pos = 0; pos < T; pos++) {
      const step = new Float32Array(B * 3 * C);
      for (let b = 0; b < B; b++) step.set(qkv.subarray((b * T + pos) * 3 * C, (b * T + pos + 1) * 3 * C), b * 3 * C);
      const out = new Float32Array(B * C);
      attentionDecode(out, kCache, vCache, step, B, C, NH, Tmax, pos);
      for (let b = 0; b < B; b++) {
        const row = out.subarray(b * C, (b + 1) * C);
        const at = (b * T + pos) * C;
        // Same arithmetic as the forward row (f32 probabilities, same order): equal to ~1 ulp.
        expectClose(row, full.subarray(at, at + C), { rtol: 1e-6, atol: 1e-7 }, `vs attentionForward b ${b} pos ${pos}`);
        expectClose(row, reference.subarray(at, at + C), { rtol: 1e-5, atol: 1e-6 }, `vs naive b ${b} pos ${pos}`);
      }
    }
    // Cache layout (B,NH,Tmax,hs): kCache[b,h,t,i] = k[b,t,h*hs+i]
    for (let b = 0; b < B; b++)
      for (let h = 0; h < NH; h++)
        for (let t = 0; t < Tmax; t++)
          for (let i = 0; i < hs; i++) {
            const slot = ((b * NH + h) * Tmax + t) * hs + i;
            const k = t < T ? qkv[(b * T + t) * 3 * C + C + h * hs + i] : NaN;
            const v = t < T ? qkv[(b * T + t) * 3 * C + 2 * C + h * hs + i] : NaN;
            expect(kCache[slot]).toBe(k);
            expect(vCache[slot]).toBe(v);
          }
  });

  it('rejects pos beyond the cache', () => {
    expect(() => attentionDecode(new Float32Array(C), new Float32Array(NH * 2 * hs), new Float32Array(NH * 2 * hs),
      new Float32Array(3 * C), 1, C, NH, 2, 2)).toThrow(/cache/);
  });
});
