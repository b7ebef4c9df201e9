// Parity of the WGSL layer ops with the CPU reference (forward AND backward), on random inputs whose shapes
// are not multiples of the kernels' tiles (matmul blocks of 4, workgroups of 64).
//
// Tolerances (|gpu - cpu| <= atol + rtol * |cpu|), data ~ N(0, 1):
//  - The CPU reference sums in f64 (JS numbers) and rounds once; the kernels sum in f32, in a different
//    association (register blocks). A K-term f32 sum has a typical error of ~sqrt(K) * 2^-24 times the
//    sum of |terms|: for K <= 64 and O(1) terms that is ~1e-6 absolute. rtol = atol = 1e-5 leaves ~10x room
//    while a wrong index or a missing term (errors of O(0.1..1)) still fails by orders of magnitude.
//  - Attention and GELU also go through WGSL exp/tanh/cosh, whose accuracy is a few ULP (exp: 3 + 2|x| ULP
//    by the WGSL spec): still ~1e-6 at these magnitudes, same 1e-5 bound.
//  - The encoder backward adds in exactly the CPU's order from the same f32 start value: compared bit for bit.
//  - RoPE reads cos/sin from the same f32 table on both sides; each output is x0*cos -+ x1*sin, two products
//    and one add (the CPU in f64 rounded once, the GPU in f32, maybe fused): ~1e-7 apart, same 1e-5 bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../../../src/backend/webgpu';
import { ropeTable } from '../../../src/model/rope';
import { Twin, newGpuBackend } from './helpers';

const RTOL = 1e-5;
const ATOL = 1e-5;

let gpu: WebGpuBackend;
let tw: Twin;

beforeAll(async () => {
  gpu = await newGpuBackend();
  tw = new Twin(gpu);
});

afterAll(() => gpu?.destroy());

describe('encoder', () => {
  const B = 3, T = 7, C = 20, V = 23;
  it('forward matches the CPU exactly (a gather and one add)', async () => {
    const tokens = tw.of(tw.ints(B * T, 0, V - 1), 'tokens');
    const wte = tw.of(tw.normal(V * C)), wpe = tw.of(tw.normal(T * C));
    const out = tw.zeros(B * T * C);
    tw.run((b, t) => b.encoderForward(t(out), t(tokens), t(wte), t(wpe), B, T, C));
    await tw.same(out, 'encoderForward');
  });

  it('backward sums repeated tokens deterministically, bit-identical to the CPU', async () => {
    const tokens = tw.of(tw.ints(B * T, 0, 5), 'tokens'); // few distinct ids: many repeats per row
    const dwte = tw.of(tw.normal(V * C)), dwpe = tw.of(tw.normal(T * C)), dout = tw.of(tw.normal(B * T * C));
    tw.run((b, t) => b.encoderBackward(t(dwte), t(dwpe), t(dout), t(tokens), B, T, C));
    await tw.same(dwte, 'dwte');
    await tw.same(dwpe, 'dwpe');
  });

  it('without a position table (rope models): forward is the wte gather, backward touches only dwte', async () => {
    const tokens = tw.of(tw.ints(B * T, 0, 5), 'tokens');
    const wte = tw.of(tw.normal(V * C));
    const out = tw.of(tw.normal(B * T * C)); // garbage: every element must be written
    tw.run((b, t) => b.encoderForward(t(out), t(tokens), t(wte), null, B, T, C));
    await tw.same(out, 'encoderForward without wpe');
    const [o] = await tw.both(out);
    const [w] = await tw.both(wte);
    const [tk] = await tw.both(tokens);
    expect(o[C + 3]).toBe(w[tk[1] * C + 3]); // precondition of "same": it really is the gather
    const dwte = tw.of(tw.normal(V * C)), dout = tw.of(tw.normal(B * T * C));
    tw.run((b, t) => b.encoderBackward(t(dwte), null, t(dout), t(tokens), B, T, C));
    await tw.same(dwte, 'dwte without dwpe');
  });
});

describe('rope', () => {
  // head size 4 and 16 (the shipped micro and tiny models), a ragged B*T*C that is not a multiple of 64,
  // and a pos0 > 0 as in a decode step
  for (const [B, T, C, NH, pos0] of [[3, 7, 12, 3, 0], [2, 5, 64, 4, 0], [3, 1, 64, 4, 9], [1, 9, 20, 5, 4]]) {
    const hs = C / NH;
    const table = ropeTable(pos0 + T + 2, hs);
    it(`forward and backward in place, B=${B} T=${T} C=${C} NH=${NH} pos0=${pos0}`, async () => {
      const tab = tw.of(table, 'rope');
      const data = tw.normal(B * T * 3 * C);
      const qkv = tw.of(data);
      tw.run((b, t) => b.ropeForward(t(qkv), t(tab), B, T, C, NH, pos0));
      await tw.close(qkv, RTOL, ATOL, 'ropeForward');
      const [, g] = await tw.both(qkv);
      for (let n = 0; n < B * T; n++) { // v passes through bit for bit
        expect(Array.from(g.subarray(n * 3 * C + 2 * C, (n + 1) * 3 * C)), `v of row ${n}`).toEqual(Array.from(data.subarray(n * 3 * C + 2 * C, (n + 1) * 3 * C)));
      }
      const dqkv = tw.of(tw.normal(B * T * 3 * C));
      tw.run((b, t) => b.ropeBackward(t(dqkv), t(tab), B, T, C, NH, pos0));
      await tw.close(dqkv, RTOL, ATOL, 'ropeBackward');
    });
  }

  it('refuses an odd head size and a table too short for the positions', () => {
    const odd = gpu.alloc(3 * 6), tab = gpu.alloc(64);
    expect(() => gpu.ropeForward(odd, tab, 1, 1, 6, 2, 0)).toThrow(/odd/);
    const qkv = gpu.alloc(3 * 8 * 4);
    expect(() => gpu.ropeForward(qkv, gpu.alloc(4 * 3), 1, 4, 8, 2, 0)).toThrow(/table .* needs 16/);
  });
});

describe('layernorm', () => {
  const N = 37, C = 20;
  it('forward: out, mean, rstd', async () => {
    const inp = tw.of(tw.normal(N * C, 2)), w = tw.of(tw.normal(C)), bias = tw.of(tw.normal(C));
    const out = tw.zeros(N * C), mean = tw.zeros(N), rstd = tw.zeros(N);
    tw.run((b, t) => b.layernormForward(t(out), t(mean), t(rstd), t(inp), t(w), t(bias), N, C));
    await tw.close(out, RTOL, ATOL, 'out');
    await tw.close(mean, RTOL, ATOL, 'mean');
    await tw.close(rstd, RTOL, ATOL, 'rstd');
  });

  it('backward accumulates dinp, dweight, dbias', async () => {
    const inp = tw.normal(N * C, 2), w = tw.of(tw.normal(C)), bias = tw.of(tw.normal(C));
    const x = tw.of(inp);
    const out = tw.zeros(N * C), mean = tw.zeros(N), rstd = tw.zeros(N);
    tw.cpu.layernormForward(out.c, mean.c, rstd.c, x.c, w.c, bias.c, N, C);
    // Both backends get the CPU's saved statistics, so only the backward kernel is compared.
    const meanT = tw.of((await tw.cpu.read(mean.c)) as Float32Array), rstdT = tw.of((await tw.cpu.read(rstd.c)) as Float32Array);
    const dinp = tw.of(tw.normal(N * C)), dw = tw.of(tw.normal(C)), db = tw.of(tw.normal(C)), dout = tw.of(tw.normal(N * C));
    tw.run((b, t) => b.layernormBackward(t(dinp), t(dw), t(db), t(dout), t(x), t(w), t(meanT), t(rstdT), N, C));
    await tw.close(dinp, RTOL, ATOL, 'dinp');
    await tw.close(dw, RTOL, ATOL, 'dweight');
    await tw.close(db, RTOL, ATOL, 'dbias');
  });
});

describe('matmul', () => {
  // N = 37 rows (ragged); OC = 45 takes the generic kernels, the other shapes the vec4 fast paths of
  // matmul4.wgsl (C % 4 == 0, and OC % 4 == 0 for backward): C = 20 (a block's high channel quad is past C),
  // OC = 44 (not a multiple of 8), and the shipped model's C = 64 and 256.
  for (const [N, C, OC] of [[37, 20, 45], [37, 20, 44], [64, 64, 24], [9, 256, 64]]) {
    for (const withBias of [true, false]) {
      it(`forward ${withBias ? 'with' : 'without'} bias, N=${N} C=${C} OC=${OC}`, async () => {
        const inp = tw.of(tw.normal(N * C)), w = tw.of(tw.normal(OC * C)), bias = tw.of(tw.normal(OC));
        const out = tw.zeros(N * OC);
        tw.run((b, t) => b.matmulForward(t(out), t(inp), t(w), withBias ? t(bias) : null, N, C, OC));
        await tw.close(out, RTOL, ATOL, 'out');
      });

      it(`backward ${withBias ? 'with' : 'without'} dbias, N=${N} C=${C} OC=${OC}`, async () => {
        const inp = tw.of(tw.normal(N * C)), w = tw.of(tw.normal(OC * C)), dout = tw.of(tw.normal(N * OC));
        const dinp = tw.of(tw.normal(N * C)), dw = tw.of(tw.normal(OC * C)), db = tw.of(tw.normal(OC));
        tw.run((b, t) => b.matmulBackward(t(dinp), t(dw), withBias ? t(db) : null, t(dout), t(inp), t(w), N, C, OC));
        await tw.close(dinp, RTOL, ATOL, 'dinp');
        // dweight sums N products per element: same bound, the products are O(1).
        await tw.close(dw, RTOL, ATOL, 'dweight');
        await tw.close(db, RTOL, ATOL, 'dbias'); // untouched when null: still equal to the start values
      });
    }
  }

  it('odd tiny shapes (1 row, 1 output, C = 1) and a larger one', async () => {
    for (const [n, c, oc] of [[1, 1, 1], [5, 3, 2], [130, 64, 67]]) {
      const inp = tw.of(tw.normal(n * c)), w = tw.of(tw.normal(oc * c)), bias = tw.of(tw.normal(oc));
      const out = tw.zeros(n * oc);
      tw.run((b, t) => b.matmulForward(t(out), t(inp), t(w), t(bias), n, c, oc));
      await tw.close(out, RTOL, ATOL, `out ${n}x${c}x${oc}`);
    }
  });
});

describe('attention', () => {
  // head size 7 takes the generic kernels (attention.wgsl), head size 16 the fast path (attention16.wgsl)
  for (const [B, T, NH, C] of [[2, 7, 3, 21], [3, 13, 2, 32]]) {
    const hs = C / NH;
    it(`forward, head size ${hs}: out and the saved probabilities (zeros above the diagonal)`, async () => {
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

    it(`backward, head size ${hs}: accumulates into dqkv`, async () => {
      const qkv = tw.of(tw.normal(B * T * 3 * C));
      const out = tw.zeros(B * T * C), att = tw.zeros(B * NH * T * T);
      tw.cpu.attentionForward(out.c, att.c, qkv.c, B, T, C, NH);
      const attT = tw.of((await tw.cpu.read(att.c)) as Float32Array);
      const dqkv = tw.of(tw.normal(B * T * 3 * C)), dout = tw.of(tw.normal(B * T * C));
      tw.run((b, t) => b.attentionBackward(t(dqkv), t(dout), t(qkv), t(attT), B, T, C, NH));
      await tw.close(dqkv, RTOL, ATOL, 'dqkv');
    });
  }
});

describe('gelu, residual, accumulate', () => {
  const N = 1000 + 37; // several workgroups and a ragged tail
  it('gelu forward and backward (including |x| large enough to saturate tanh)', async () => {
    const x = tw.normal(N, 3);
    x[0] = 40; x[1] = -40; x[2] = 0;
    const inp = tw.of(x), out = tw.zeros(N), dinp = tw.of(tw.normal(N)), dout = tw.of(tw.normal(N));
    tw.run((b, t) => {
      b.geluForward(t(out), t(inp), N);
      b.geluBackward(t(dinp), t(inp), t(dout), N);
    });
    await tw.close(out, RTOL, ATOL, 'gelu out');
    await tw.close(dinp, RTOL, ATOL, 'gelu dinp');
  });

  it('residual and accumulate, including in place (the aliased input is copied aside)', async () => {
    const a = tw.of(tw.normal(N)), bb = tw.of(tw.normal(N)), out = tw.zeros(N), acc = tw.of(tw.normal(N));
    tw.run((b, t) => {
      b.residualForward(t(out), t(a), t(bb), N);
      b.accumulate(t(acc), t(out), N);
      b.residualForward(t(a), t(a), t(bb), N); // a = a + b in place
      b.accumulate(t(bb), t(bb), N); // b = 2b
    });
    await tw.same(out, 'residual');
    await tw.same(acc, 'accumulate');
    await tw.same(a, 'in-place residual');
    await tw.same(bb, 'self accumulate');
  });
});
