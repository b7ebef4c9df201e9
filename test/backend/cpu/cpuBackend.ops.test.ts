// Wiring of CpuBackend: every op, run through the backend on views at non-zero offsets, gives what the pure
// op gives on plain arrays (catches swapped arguments, wrong views, wrong length checks), and counts one dispatch.
import { describe, expect, it } from 'vitest';
import { VIEW_ALIGN, type Tensor } from '../../../src/backend/backend';
import { Rng } from '../../../src/backend/rng';
import * as ops from '../../../src/backend/cpu';
import { CpuBackend, cpuData } from '../../../src/backend/cpu';
import { randomF32, randomTokens } from './helpers/random';

const B = 2, T = 5, C = 12, NH = 3, OC = 7, V = 11, N = B * T;
const rng = new Rng(11);
const be = new CpuBackend();

/** A view at offset VIEW_ALIGN into a larger tensor, holding a copy of data. */
function put(data: Float32Array | Uint32Array): Tensor {
  const parent = be.alloc(VIEW_ALIGN + data.length + 3, data instanceof Float32Array ? 'f32' : 'u32');
  const view = be.view(parent, VIEW_ALIGN, data.length);
  be.write(view, data);
  return view;
}

/** Runs `viaBackend`, expects one more dispatch, and returns the contents of the tensors afterwards. */
function dispatchOnce(viaBackend: () => void, outputs: Tensor[]): number[][] {
  const before = be.counters().dispatches;
  viaBackend();
  expect(be.counters().dispatches).toBe(before + 1);
  return outputs.map((t) => Array.from(cpuData(t)));
}

const f = (n: number, scale = 1) => randomF32(rng, n, scale);
/** Runs the pure op on plain arrays and returns the contents of its outputs. */
function direct(run: () => void, outputs: Array<Float32Array | Uint32Array>): number[][] {
  run();
  return outputs.map((a) => Array.from(a));
}

describe('CpuBackend ops delegate to the pure ops', () => {
  it('encoder, layernorm, matmul, attention, gelu, residual', () => {
    const tokens = randomTokens(rng, N, V), wte = f(V * C), wpe = f(T * C), dout = f(N * C);
    const [out, dwte, dwpe] = [new Float32Array(N * C), f(V * C), f(T * C)];
    const tOut = put(out), tDwte = put(dwte), tDwpe = put(dwpe);
    expect(dispatchOnce(() => be.encoderForward(tOut, put(tokens), put(wte), put(wpe), B, T, C), [tOut]))
      .toEqual(direct(() => ops.encoderForward(out, tokens, wte, wpe, B, T, C), [out]));
    expect(dispatchOnce(() => be.encoderBackward(tDwte, tDwpe, put(dout), put(tokens), B, T, C), [tDwte, tDwpe]))
      .toEqual(direct(() => ops.encoderBackward(dwte, dwpe, dout, tokens, B, T, C), [dwte, dwpe]));

    const x = f(N * C), w = f(C), bias = f(C), ln = [new Float32Array(N * C), new Float32Array(N), new Float32Array(N)];
    const tLn = ln.map(put);
    expect(dispatchOnce(() => be.layernormForward(tLn[0], tLn[1], tLn[2], put(x), put(w), put(bias), N, C), tLn))
      .toEqual(direct(() => ops.layernormForward(ln[0], ln[1], ln[2], x, w, bias, N, C), ln));
    const lnGrads = [f(N * C), f(C), f(C)], tLnGrads = lnGrads.map(put);
    expect(dispatchOnce(() => be.layernormBackward(tLnGrads[0], tLnGrads[1], tLnGrads[2], put(dout), put(x), put(w),
      tLn[1], tLn[2], N, C), tLnGrads))
      .toEqual(direct(() => ops.layernormBackward(lnGrads[0], lnGrads[1], lnGrads[2], dout, x, w, ln[1], ln[2], N, C), lnGrads));

    const weight = f(OC * C), mmBias = f(OC), mmOut = new Float32Array(N * OC), mmDout = f(N * OC);
    const tMmOut = put(mmOut);
    expect(dispatchOnce(() => be.matmulForward(tMmOut, put(x), put(weight), put(mmBias), N, C, OC), [tMmOut]))
      .toEqual(direct(() => ops.matmulForward(mmOut, x, weight, mmBias, N, C, OC), [mmOut]));
    const mmGrads = [f(N * C), f(OC * C), f(OC)], tMmGrads = mmGrads.map(put);
    expect(dispatchOnce(() => be.matmulBackward(tMmGrads[0], tMmGrads[1], tMmGrads[2], put(mmDout), put(x), put(weight),
      N, C, OC), tMmGrads))
      .toEqual(direct(() => ops.matmulBackward(mmGrads[0], mmGrads[1], mmGrads[2], mmDout, x, weight, N, C, OC), mmGrads));
    expect(() => be.matmulForward(tMmOut, put(x), put(weight), null, N, C, OC)).not.toThrow();

    const qkv = f(N * 3 * C), att = [new Float32Array(N * C), new Float32Array(B * NH * T * T)], tAtt = att.map(put);
    expect(dispatchOnce(() => be.attentionForward(tAtt[0], tAtt[1], put(qkv), B, T, C, NH), tAtt))
      .toEqual(direct(() => ops.attentionForward(att[0], att[1], qkv, B, T, C, NH), att));
    const dqkv = f(N * 3 * C), tDqkv = put(dqkv);
    expect(dispatchOnce(() => be.attentionBackward(tDqkv, put(dout), put(qkv), tAtt[1], B, T, C, NH), [tDqkv]))
      .toEqual(direct(() => ops.attentionBackward(dqkv, dout, qkv, att[1], B, T, C, NH), [dqkv]));

    const g = [new Float32Array(N), f(N)], tG = g.map(put), gx = f(N), gd = f(N);
    expect(dispatchOnce(() => be.geluForward(tG[0], put(gx), N), [tG[0]])).toEqual(direct(() => ops.geluForward(g[0], gx, N), [g[0]]));
    expect(dispatchOnce(() => be.geluBackward(tG[1], put(gx), put(gd), N), [tG[1]]))
      .toEqual(direct(() => ops.geluBackward(g[1], gx, gd, N), [g[1]]));
    const r = new Float32Array(N), tR = put(r);
    expect(dispatchOnce(() => be.residualForward(tR, put(gx), put(gd), N), [tR])).toEqual(direct(() => ops.residualForward(r, gx, gd, N), [r]));
    expect(dispatchOnce(() => be.accumulate(tR, put(gd), N), [tR])).toEqual(direct(() => ops.accumulate(r, gd, N), [r]));
  });

  it('tokenLogprobs, grpoLossBackward, globalNorm, adamW', () => {
    const logits = f(N * V, 2), targets = randomTokens(rng, N, V);
    const lp = [new Float32Array(N), new Float32Array(N)], tLp = lp.map(put);
    expect(dispatchOnce(() => be.tokenLogprobs(tLp[0], tLp[1], put(logits), put(targets), N, V), tLp))
      .toEqual(direct(() => ops.tokenLogprobs(lp[0], lp[1], logits, targets, N, V), lp));

    const tokenData = Float32Array.from({ length: N * 3 }, (_, i) => [rng.normal(), 0.1, i % 9 === 2 ? 1 : 0][i % 3]);
    const oldLogp = lp[0].map((l) => l + 0.3 * rng.normal()), refLogp = lp[0].map((l) => l + 0.3 * rng.normal());
    const settings = { epsLow: 0.2, epsHigh: 0.28, beta: 0.05, gamma: 1 };
    const grpo = [new Float32Array(N * V), new Float32Array(N * 4)], tGrpo = grpo.map(put);
    expect(dispatchOnce(() => be.grpoLossBackward(tGrpo[0], tGrpo[1], put(logits), put(targets), put(tokenData),
      put(oldLogp), put(refLogp), N, V, settings), tGrpo))
      .toEqual(direct(() => ops.grpoLossBackward(grpo[0], grpo[1], logits, targets, tokenData, oldLogp, refLogp, N, V, settings), grpo));

    const P = 100, grads = f(P), norm = new Float32Array(1), tNorm = put(norm);
    expect(dispatchOnce(() => be.globalNorm(tNorm, put(grads), P), [tNorm])).toEqual(direct(() => ops.globalNorm(norm, grads, P), [norm]));
    const state = [f(P), f(P, 0.1), f(P, 0.1).map(Math.abs)], tState = state.map(put);
    const mask = Uint32Array.from({ length: P }, (_, i) => i % 2);
    const s = { lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 4, maxGradNorm: 1 };
    expect(dispatchOnce(() => be.adamW(tState[0], put(grads), tState[1], tState[2], put(mask), tNorm, P, s), tState))
      .toEqual(direct(() => ops.adamW(state[0], grads, state[1], state[2], mask, norm, P, s), state));
  });

  it('encoderForwardAt, attentionDecode, sampleNext', () => {
    const Tseq = T, Tmax = 8, pos = 2;
    const tokens = randomTokens(rng, B * Tseq, V), wte = f(V * C), wpe = f(Tseq * C);
    const out = new Float32Array(B * C), tOut = put(out);
    expect(dispatchOnce(() => be.encoderForwardAt(tOut, put(tokens), put(wte), put(wpe), B, C, Tseq, pos), [tOut]))
      .toEqual(direct(() => ops.encoderForwardAt(out, tokens, wte, wpe, B, C, Tseq, pos), [out]));

    const qkv = f(B * 3 * C), dec = [new Float32Array(B * C), f(B * Tmax * C), f(B * Tmax * C)], tDec = dec.map(put);
    expect(dispatchOnce(() => be.attentionDecode(tDec[0], tDec[1], tDec[2], put(qkv), B, C, NH, Tmax, pos), tDec))
      .toEqual(direct(() => ops.attentionDecode(dec[0], dec[1], dec[2], qkv, B, C, NH, Tmax, pos), dec));

    const logits = f(B * V), promptLen = new Uint32Array([1, 1]);
    const sample = [Uint32Array.from(tokens), new Float32Array(B * Tseq)], tSample = sample.map(put);
    const s = { temperature: 0.9, topK: 5, seed: 7, step: 2, rowOffset: 3 };
    expect(dispatchOnce(() => be.sampleNext(tSample[0], tSample[1], put(logits), put(promptLen), B, V, Tseq, pos, s), tSample))
      .toEqual(direct(() => ops.sampleNext(sample[0] as Uint32Array, sample[1] as Float32Array, logits, promptLen, B, V, Tseq, pos, s), sample));
  });
});
