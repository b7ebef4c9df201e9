// Parity of the specialised kernels the WebGPU backend picks for the shipped model's shapes: attention for
// head size 16 (attention16.wgsl, attention_decode16 in decode.wgsl) and the vec4 matmuls (matmul4.wgsl,
// C % 4 == 0, and OC % 4 == 0 for backward). The parity tests in test/backend/webgpu use head size 7 and
// OC = 45, so they exercise the generic kernels; these use the fast paths, same tolerances (ops.test.ts):
// rtol = atol = 1e-5 against the CPU reference, and the decode path bit for bit against the forward pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../../src/backend/webgpu';
import { Twin, newGpuBackend, type TwinTensor } from '../backend/webgpu/helpers';

const RTOL = 1e-5;
const ATOL = 1e-5;

let gpu: WebGpuBackend;
let tw: Twin;

beforeAll(async () => {
  gpu = await newGpuBackend();
  tw = new Twin(gpu);
});

afterAll(() => gpu?.destroy());

describe('vec4 matmul', () => {
  // C = 20 (a block's high channel quad is past C), OC = 44 (not a multiple of 8), N = 37 (ragged rows)
  for (const [N, C, OC] of [[37, 20, 44], [64, 64, 24], [9, 256, 64]]) {
    it(`forward and backward, N=${N} C=${C} OC=${OC}`, async () => {
      const inp = tw.of(tw.normal(N * C)), w = tw.of(tw.normal(OC * C)), bias = tw.of(tw.normal(OC));
      const out = tw.zeros(N * OC);
      tw.run((b, t) => b.matmulForward(t(out), t(inp), t(w), t(bias), N, C, OC));
      await tw.close(out, RTOL, ATOL, 'out');
      const dinp = tw.of(tw.normal(N * C)), dw = tw.of(tw.normal(OC * C)), db = tw.of(tw.normal(OC)), dout = tw.of(tw.normal(N * OC));
      tw.run((b, t) => b.matmulBackward(t(dinp), t(dw), t(db), t(dout), t(inp), t(w), N, C, OC));
      await tw.close(dinp, RTOL, ATOL, 'dinp');
      await tw.close(dw, RTOL, ATOL, 'dweight');
      await tw.close(db, RTOL, ATOL, 'dbias');
    });
  }
});

describe('attention, head size 16', () => {
  const B = 3, T = 13, NH = 2, C = 32;
  it('forward: out and the saved probabilities (zeros above the diagonal)', async () => {
    const qkv = tw.of(tw.normal(B * T * 3 * C));
    const out = tw.zeros(B * T * C), att = tw.zeros(B * NH * T * T);
    tw.run((b, t) => b.attentionForward(t(out), t(att), t(qkv), B, T, C, NH));
    await tw.close(out, RTOL, ATOL, 'out');
    await tw.close(att, RTOL, ATOL, 'att');
    const g = (await gpu.read(att.g)) as Float32Array;
    for (let r = 0; r < B * NH * T; r++) {
      for (let t2 = (r % T) + 1; t2 < T; t2++) expect(g[r * T + t2]).toBe(0);
    }
  });

  it('backward accumulates into dqkv', async () => {
    const qkv = tw.of(tw.normal(B * T * 3 * C));
    const out = tw.zeros(B * T * C), att = tw.zeros(B * NH * T * T);
    tw.cpu.attentionForward(out.c, att.c, qkv.c, B, T, C, NH);
    const attT = tw.of((await tw.cpu.read(att.c)) as Float32Array);
    const dqkv = tw.of(tw.normal(B * T * 3 * C)), dout = tw.of(tw.normal(B * T * C));
    tw.run((b, t) => b.attentionBackward(t(dqkv), t(dout), t(qkv), t(attT), B, T, C, NH));
    await tw.close(dqkv, RTOL, ATOL, 'dqkv');
  });
});

describe('decode, head size 16', () => {
  const B = 3, C = 64, NH = 4, Tmax = 11;
  const hs = C / NH;
  it('attentionDecode matches the CPU and reproduces attentionForward bit for bit', async () => {
    const kCache = tw.zeros(B * NH * Tmax * hs), vCache = tw.zeros(B * NH * Tmax * hs);
    const qkv = tw.zeros(B * 3 * C);
    const rowsByPos: Float32Array[] = [];
    const outs: TwinTensor[] = [];
    for (let pos = 0; pos < Tmax; pos++) {
      const rows = tw.normal(B * 3 * C);
      rowsByPos.push(rows);
      const o = tw.zeros(B * C);
      outs.push(o);
      tw.cpu.write(qkv.c, rows);
      gpu.write(qkv.g, rows);
      tw.run((b, t) => b.attentionDecode(t(o), t(kCache), t(vCache), t(qkv), B, C, NH, Tmax, pos));
    }
    for (let pos = 0; pos < Tmax; pos++) await tw.close(outs[pos], RTOL, ATOL, `attentionDecode pos ${pos}`);
    await tw.same(kCache, 'kCache');
    await tw.same(vCache, 'vCache');
    const full = new Float32Array(B * Tmax * 3 * C);
    for (let pos = 0; pos < Tmax; pos++) {
      for (let b = 0; b < B; b++) full.set(rowsByPos[pos].subarray(b * 3 * C, (b + 1) * 3 * C), (b * Tmax + pos) * 3 * C);
    }
    const qkvFull = gpu.alloc(full.length), outFull = gpu.alloc(B * Tmax * C), att = gpu.alloc(B * NH * Tmax * Tmax);
    gpu.write(qkvFull, full);
    gpu.attentionForward(outFull, att, qkvFull, B, Tmax, C, NH);
    const fo = (await gpu.read(outFull)) as Float32Array;
    for (let pos = 0; pos < Tmax; pos++) {
      const d = (await gpu.read(outs[pos].g)) as Float32Array;
      const rowsOfFull = new Float32Array(B * C);
      for (let b = 0; b < B; b++) rowsOfFull.set(fo.subarray((b * Tmax + pos) * C, (b * Tmax + pos + 1) * C), b * C);
      expect(Array.from(d), `decode vs forward pos ${pos}`).toEqual(Array.from(rowsOfFull));
    }
  });
});
