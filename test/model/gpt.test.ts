// The whole model on the CPU reference, for both position schemes (learned wpe and rotary): gradient
// against finite differences, decode-with-cache against the full forward, and seeded sampling.
import { beforeEach, describe, expect, it } from 'vitest';
import { BOS_ID, TokenMode } from '../../src/backend/backend';
import { CpuBackend, cpuData } from '../../src/backend/cpu';
import { Rng } from '../../src/backend/rng';
import type { GPTConfig } from '../../src/model/config';
import { Decoder } from '../../src/model/decode';
import { GPT } from '../../src/model/gpt';

const learned: GPTConfig = { vocabSize: 9, maxT: 8, nLayer: 2, nHead: 2, nEmbd: 8, positions: 'learned' };
const rope: GPTConfig = { ...learned, positions: 'rope' };
let cfg = learned; // the config of the describe block being run (vocabSize and maxT are the same in both)

function setup(seed = 3) {
  const k = new CpuBackend();
  const model = new GPT(k, cfg);
  model.initParams(seed);
  // scale weights up from GPT-2's 0.02 so the gradient check sees a non-trivial function
  const p = cpuData(model.params) as Float32Array;
  const rng = new Rng(seed, 5);
  for (let i = 0; i < p.length; i++) p[i] += 0.3 * rng.normal();
  return { k, model };
}

const B = 2;
const T = 6;
function batchTokens(seed: number) {
  const rng = new Rng(seed, 11);
  const seq = Array.from({ length: B * (T + 1) }, () => rng.int(3, cfg.vocabSize - 1));
  const tokens = new Uint32Array(B * T);
  const targets = new Uint32Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
    tokens[b * T + t] = seq[b * (T + 1) + t];
    targets[b * T + t] = seq[b * (T + 1) + t + 1];
  }
  return { tokens, targets };
}

/** Mean token cross-entropy via the GRPO op in ON_POLICY mode with advantage 1 (the pretraining loss). */
function lossAndGrad(k: CpuBackend, model: GPT, tokens: Uint32Array, targets: Uint32Array, withGrad: boolean) {
  const N = B * T;
  const V = cfg.vocabSize;
  const tok = k.alloc(N, 'u32');
  const tgt = k.alloc(N, 'u32');
  k.write(tok, tokens);
  k.write(tgt, targets);
  const tokenData = k.alloc(N * 3);
  const td = new Float32Array(N * 3);
  for (let n = 0; n < N; n++) { td[n * 3] = 1; td[n * 3 + 1] = 1 / N; td[n * 3 + 2] = TokenMode.ON_POLICY; }
  k.write(tokenData, td);
  const zeros = k.alloc(N);
  const dlogits = k.alloc(N * V);
  const stats = k.alloc(N * 4);
  const logits = model.forward(tok, B, T);
  k.grpoLossBackward(dlogits, stats, logits, tgt, tokenData, zeros, zeros, N, V, { epsLow: 0.2, epsHigh: 0.2, beta: 0, gamma: 0.1 });
  const s = cpuData(stats) as Float32Array;
  let loss = 0;
  for (let n = 0; n < N; n++) loss -= s[n * 4] / N;
  if (withGrad) { model.zeroGrad(); model.backward(dlogits, tok, B, T); }
  return loss;
}

for (const scheme of [learned, rope]) describe(`GPT on the CPU reference, ${scheme.positions} positions`, () => {
  beforeEach(() => { cfg = scheme; });

  it('backward matches central finite differences of the loss (directional and per coordinate)', () => {
    const { k, model } = setup();
    const { tokens, targets } = batchTokens(7);
    lossAndGrad(k, model, tokens, targets, true);
    const grad = Float64Array.from(cpuData(model.grads) as Float32Array);
    const p = cpuData(model.params) as Float32Array;
    const eps = 1e-2; // float32 forward: a larger step keeps rounding noise (~1e-7/eps) far below the signal
    const rng = new Rng(99, 1);
    // directional derivatives along random directions over all parameters
    for (let trial = 0; trial < 4; trial++) {
      const dir = new Float64Array(p.length);
      for (const e of model.layout.entries) for (let i = 0; i < e.length; i++) dir[e.offset + i] = rng.normal();
      const norm = Math.hypot(...dir);
      for (let i = 0; i < dir.length; i++) dir[i] /= norm; // a unit step, so eps is the real step length
      const base = Float32Array.from(p);
      for (let i = 0; i < p.length; i++) p[i] = base[i] + eps * dir[i];
      const lp = lossAndGrad(k, model, tokens, targets, false);
      for (let i = 0; i < p.length; i++) p[i] = base[i] - eps * dir[i];
      const lm = lossAndGrad(k, model, tokens, targets, false);
      p.set(base);
      const numeric = (lp - lm) / (2 * eps);
      let analytic = 0;
      for (let i = 0; i < p.length; i++) analytic += grad[i] * dir[i];
      expect(Math.abs(analytic)).toBeGreaterThan(1e-3); // a meaningful directional derivative
      expect(Math.abs(numeric - analytic)).toBeLessThan(1e-4 + 1e-2 * Math.abs(analytic));
    }
    // per coordinate, a few entries of every tensor
    for (const e of model.layout.entries) {
      for (let j = 0; j < 3; j++) {
        const i = e.offset + rng.int(0, e.length - 1);
        const x = p[i];
        p[i] = x + eps; const lp = lossAndGrad(k, model, tokens, targets, false);
        p[i] = x - eps; const lm = lossAndGrad(k, model, tokens, targets, false);
        p[i] = x;
        const numeric = (lp - lm) / (2 * eps);
        expect(Math.abs(numeric - grad[i]), `${e.name}[${i - e.offset}]`).toBeLessThan(1e-3 + 2e-2 * Math.abs(grad[i]));
      }
    }
  });

  it('decoding with the KV cache gives the same log-probs as the full forward', async () => {
    const { k, model } = setup(4);
    const dec = new Decoder(model, 3);
    const Tseq = cfg.maxT;
    const prompt = new Uint32Array(3 * Tseq);
    const promptLen = Uint32Array.from([2, 3, 1]);
    const rng = new Rng(5, 2);
    for (let b = 0; b < 3; b++) { prompt[b * Tseq] = BOS_ID; for (let t = 1; t < promptLen[b]; t++) prompt[b * Tseq + t] = rng.int(3, 8); }
    const out = await dec.generate({ tokens: prompt, promptLen, B: 3, Tseq }, { temperature: 1, topK: 0, seed: 1, step: 0, rowOffset: 0 });
    // the prompts are kept
    for (let b = 0; b < 3; b++) for (let t = 0; t < promptLen[b]; t++) expect(out.tokens[b * Tseq + t]).toBe(prompt[b * Tseq + t]);
    // full forward over the generated rows: logp of each sampled token must match the decoder's
    const tok = k.alloc(3 * Tseq, 'u32');
    k.write(tok, out.tokens);
    const logits = cpuData(model.forward(tok, 3, Tseq)) as Float32Array;
    let checked = 0;
    for (let b = 0; b < 3; b++) {
      for (let t = promptLen[b]; t < Tseq; t++) {
        if (out.logps[b * Tseq + t] === 0) continue; // forced or finished
        const row = logits.subarray((b * Tseq + t - 1) * cfg.vocabSize, (b * Tseq + t) * cfg.vocabSize);
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
        expect(out.logps[b * Tseq + t]).toBeCloseTo(row[out.tokens[b * Tseq + t]] - lse, 4);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('the same seed gives the same samples, another seed different ones', async () => {
    const run = async (seed: number) => {
      const { model } = setup(4);
      const dec = new Decoder(model, 4);
      const tokens = new Uint32Array(4 * cfg.maxT);
      for (let b = 0; b < 4; b++) tokens[b * cfg.maxT] = BOS_ID;
      const r = await dec.generate({ tokens, promptLen: Uint32Array.from([1, 1, 1, 1]), B: 4, Tseq: cfg.maxT }, { temperature: 1, topK: 0, seed, step: 3, rowOffset: 0 });
      return Array.from(r.tokens);
    };
    expect(await run(1)).toEqual(await run(1));
    expect(await run(1)).not.toEqual(await run(2));
  });
});
