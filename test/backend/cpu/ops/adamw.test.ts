import { describe, expect, it } from 'vitest';
import type { AdamWSettings } from '../../../../src/backend/backend';
import { Rng } from '../../../../src/backend/rng';
import { adamW, globalNorm, gradScale } from '../../../../src/backend/cpu/ops/adamw';
import { F32_VS_F64, expectClose } from '../helpers/check';
import { naiveAdamW } from '../helpers/naiveLoss';
import { randomF32 } from '../helpers/random';

const base: AdamWSettings = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 1, maxGradNorm: 0 };
// f32 storage of params/m/v: relative error ~6e-8 per value.
const STORED_F32 = { rtol: 2e-7, atol: 1e-9 };

describe('globalNorm', () => {
  it('is sqrt(sum g^2) over the first N elements', () => {
    const out = new Float32Array(1);
    globalNorm(out, new Float32Array([3, -4, 12, 100]), 3);
    expect(out[0]).toBe(13);
    const rng = new Rng(1);
    const g = randomF32(rng, 1001);
    globalNorm(out, g, g.length);
    expectClose(out, [Math.sqrt(g.reduce((s, x) => s + x * x, 0))], F32_VS_F64, 'norm');
  });
});

describe('adamW', () => {
  it('step 1 by hand: bias-corrected update ~ lr*sign(g), decay only where the mask is 1', () => {
    const params = new Float32Array([1, -2, 0.5, 3]);
    const grads = new Float32Array([0.1, -0.2, 0, 0.4]);
    const m = new Float32Array(4), v = new Float32Array(4);
    const mask = new Float32Array([1, 1, 0, 0]);
    adamW(params, grads, m, v, mask, new Float32Array([999]), 4, base); // maxGradNorm 0: norm is ignored
    // p - lr * (g / (|g| + eps) + wd * mask * p), worked out by hand:
    //   1 - 0.1 * (0.1/0.10000001 + 0.01)   = 0.89900001
    //  -2 - 0.1 * (-0.2/0.20000001 - 0.02)  = -1.898000005
    //   0.5 (zero gradient, no decay)        3 - 0.1 * 0.4/0.40000001 = 2.9000000025
    expectClose(params, [0.89900001, -1.898000005, 0.5, 2.9000000025], STORED_F32, 'params');
    expectClose(m, [0.01, -0.02, 0, 0.04], STORED_F32, 'm = (1 - beta1) g');
    expectClose(v, [1e-5, 4e-5, 0, 1.6e-4], STORED_F32, 'v = (1 - beta2) g^2');
  });

  it('step 3 by hand with gradient clipping and existing moments', () => {
    const params = new Float32Array([1]), m = new Float32Array([0.2]), v = new Float32Array([0.05]);
    const s: AdamWSettings = { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, step: 3, maxGradNorm: 1.5 };
    adamW(params, new Float32Array([3]), m, v, new Uint32Array([1]), new Float32Array([3]), 1, s);
    // g = 3 * 1.5 / (3 + 1e-6); m = 0.18 + 0.1 g; v = 0.0495 + 0.01 g^2;
    // p = 1 - 0.01 * ((m / 0.271) / (sqrt(v / 0.029701) + 1e-8) + 0.1)
    expectClose(m, [0.32999995], STORED_F32, 'm');
    expectClose(v, [0.071999985], STORED_F32, 'v');
    expectClose(params, [0.99117897069], STORED_F32, 'params');
  });

  it('matches the naive float64 AdamW on random buffers, with and without clipping', () => {
    const rng = new Rng(2);
    const n = 257;
    for (const s of [{ ...base, step: 5 }, { ...base, step: 7, maxGradNorm: 0.5, weightDecay: 0.1 }]) {
      const params = randomF32(rng, n), grads = randomF32(rng, n), m = randomF32(rng, n, 0.1);
      const v = randomF32(rng, n, 0.1).map(Math.abs);
      const mask = Float32Array.from({ length: n }, (_, i) => i % 3 === 0 ? 0 : 1);
      const norm = new Float32Array(1);
      globalNorm(norm, grads, n);
      const ref = naiveAdamW(params, grads, m, v, mask, norm[0], s);
      adamW(params, grads, m, v, mask, norm, n, s);
      expectClose(params, ref.params, F32_VS_F64, 'params');
      expectClose(m, ref.m, F32_VS_F64, 'm');
      expectClose(v, ref.v, F32_VS_F64, 'v');
    }
  });

  it('gradScale: min(1, max / (norm + 1e-6)), and 1 when clipping is off', () => {
    expect(gradScale(10, 1)).toBeCloseTo(1 / (10 + 1e-6), 12);
    expect(gradScale(0.5, 1)).toBe(1);
    expect(gradScale(0, 1)).toBe(1);
    expect(gradScale(10, 0)).toBe(1);
    expect(gradScale(10, -1)).toBe(1);
  });

  it('rejects a 0-based step', () => {
    const one = new Float32Array(1);
    expect(() => adamW(one, one, one, one, one, one, 1, { ...base, step: 0 })).toThrow(/step/);
  });
});
