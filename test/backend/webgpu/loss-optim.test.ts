// Parity of the loss and optimizer kernels with the CPU reference: token log-probs, the GRPO loss gradient
// (all three token modes, clipping both ways, masked rows with garbage inputs), the global norm and AdamW.
//
// Tolerances (|gpu - cpu| <= atol + rtol * |cpu|):
//  - log-probs, entropy, k3: rows of V = 23 logits through f32 exp/log (a few ULP each) vs f64 on the CPU:
//    errors ~1e-6 at these magnitudes (|logits| <~ 6); rtol = atol = 1e-5.
//  - dlogits: weight (~1/N) * dloss/dlogp * (onehot - p), products of O(1e-2): atol 1e-6 covers the f32
//    rounding of r = exp(logp - old) (relative ~1e-6); clip codes are 0/1/2 so any flip would exceed it.
//  - globalNorm: 1e5 squares summed in f32 chunks of ~100 then over <= 1024 partials, vs one f64 sum:
//    relative error ~sqrt(chunk) * 2^-24 ~ 1e-6; rtol 1e-5.
//  - AdamW: one update of size ~lr per element, computed in f32 vs f64: params differ by an ULP or two of
//    the parameter (~1e-7). m = beta1 m + (1-beta1) g can cancel to ~0, so its error is an ULP of the O(0.1)
//    terms (~1e-8), not of the result: atol 1e-7 for m, 1e-8 for v (terms ~0.05), plus rtol 1e-5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipCode, TokenMode, type AdamWSettings, type GrpoLossSettings } from '../../../src/backend/backend';
import type { WebGpuBackend } from '../../../src/backend/webgpu';
import { Twin, expectClose, newGpuBackend } from './helpers';

let gpu: WebGpuBackend;
let tw: Twin;

beforeAll(async () => {
  gpu = await newGpuBackend();
  tw = new Twin(gpu);
});

afterAll(() => gpu?.destroy());

const N = 74, V = 23;

describe('tokenLogprobs', () => {
  it('log-prob of the target and entropy per row', async () => {
    const logits = tw.of(tw.normal(N * V, 2)), targets = tw.of(tw.ints(N, 0, V - 1));
    const logp = tw.zeros(N), entropy = tw.zeros(N);
    tw.run((b, t) => b.tokenLogprobs(t(logp), t(entropy), t(logits), t(targets), N, V));
    await tw.close(logp, 1e-5, 1e-5, 'logp');
    await tw.close(entropy, 1e-5, 1e-5, 'entropy');
  });
});

describe('grpoLossBackward', () => {
  for (const beta of [0.04, 0]) {
    it(`dlogits and stats, all modes, beta = ${beta}`, async () => {
      const logitsData = tw.normal(N * V, 2);
      const logits = tw.of(logitsData), targets = tw.of(tw.ints(N, 0, V - 1));
      const logp = tw.zeros(N), entropy = tw.zeros(N);
      tw.cpu.tokenLogprobs(logp.c, entropy.c, logits.c, targets.c, N, V);
      const lp = (await tw.cpu.read(logp.c)) as Float32Array;
      const td = new Float32Array(N * 3), old = new Float32Array(N), ref = new Float32Array(N);
      for (let n = 0; n < N; n++) {
        const masked = n % 7 === 3;
        td[n * 3] = tw.rng.normal();
        td[n * 3 + 1] = masked ? 0 : 1 / N;
        td[n * 3 + 2] = [TokenMode.CLIPPED, TokenMode.CLIPPED, TokenMode.ON_POLICY, TokenMode.SHAPED][n % 4];
        // old log-probs 0.3 nats off on average: ratios spread well past 1 -+ 0.2, so both clips bite.
        old[n] = masked ? -1e30 : lp[n] + 0.3 * tw.rng.normal(); // garbage on masked rows: r = inf there
        ref[n] = lp[n] + 0.2 * tw.rng.normal();
      }
      const tokenData = tw.of(td), oldLogp = tw.of(old), refLogp = tw.of(ref);
      const dlogits = tw.of(tw.normal(N * V)), stats = tw.zeros(N * 4); // dlogits is overwritten, not +=
      const s: GrpoLossSettings = { epsLow: 0.2, epsHigh: 0.28, beta, gamma: 0.1 };
      tw.run((b, t) => b.grpoLossBackward(t(dlogits), t(stats), t(logits), t(targets), t(tokenData), t(oldLogp), t(refLogp), N, V, s));
      await tw.close(dlogits, 1e-5, 1e-6, 'dlogits');
      const [c, g] = await tw.both(stats);
      expectClose(g, c, 1e-5, 1e-5, 'stats');
      const codes = Array.from({ length: N }, (_, n) => g[n * 4 + 3]);
      expect(codes).toEqual(Array.from({ length: N }, (_, n) => c[n * 4 + 3]));
      expect(codes.filter((x) => x === ClipCode.LOW).length, 'some rows clipped low').toBeGreaterThan(0);
      expect(codes.filter((x) => x === ClipCode.HIGH).length, 'some rows clipped high').toBeGreaterThan(0);
      const dl = (await gpu.read(dlogits.g)) as Float32Array;
      for (let n = 3; n < N; n += 7) expect(Array.from(dl.subarray(n * V, (n + 1) * V)).every((x) => x === 0), `masked row ${n}`).toBe(true);
    });
  }
});

describe('globalNorm', () => {
  for (const n of [5, 100_003]) {
    it(`sqrt of the sum of squares, N = ${n}`, async () => {
      const grads = tw.of(tw.normal(n, 0.01)), out = tw.zeros(1);
      tw.run((b, t) => b.globalNorm(t(out), t(grads), n));
      await tw.close(out, 1e-5, 0, 'norm');
    });
  }

  it('is deterministic: the same input gives the same bits', async () => {
    const grads = tw.of(tw.normal(50_000)), out = tw.zeros(1), out2 = tw.zeros(1);
    gpu.globalNorm(out.g, grads.g, 50_000);
    gpu.globalNorm(out2.g, grads.g, 50_000);
    expect(Array.from(await gpu.read(out.g))).toEqual(Array.from(await gpu.read(out2.g)));
  });
});

describe('adamW', () => {
  const P = 5000 + 17;
  for (const [maskType, maxGradNorm] of [['u32', 1.0], ['f32', 0]] as const) {
    it(`one dispatch over the flat buffer, ${maskType} mask, maxGradNorm ${maxGradNorm}`, async () => {
      const params = tw.of(tw.normal(P)), grads = tw.of(tw.normal(P));
      const m = tw.of(tw.normal(P, 0.1));
      const v = tw.of(tw.normal(P, 0.1).map((x) => x * x));
      const bits = tw.ints(P, 0, 1);
      const mask = tw.of(maskType === 'u32' ? bits : Float32Array.from(bits));
      const norm = tw.of(new Float32Array([3.5])); // above maxGradNorm: the clip factor is applied on device
      const s: AdamWSettings = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 3, maxGradNorm };
      await gpu.flush();
      const before = gpu.counters().dispatches;
      tw.run((b, t) => b.adamW(t(params), t(grads), t(m), t(v), t(mask), t(norm), P, s));
      expect(gpu.counters().dispatches - before, 'AdamW is one dispatch').toBe(1);
      await tw.close(params, 1e-5, 1e-7, 'params');
      await tw.close(m, 1e-5, 1e-7, 'm');
      await tw.close(v, 1e-5, 1e-8, 'v');
    });
  }
});
