// Parity of the decode-step kernels (encoderForwardAt, attentionDecode, sampleNext) and of the WGSL RNG with
// the CPU reference. Whole decode loops are recorded into ONE command encoder before any read: `pos` must
// come from each op's own uniform slot, and writes between ops must stay ordered.
//
// Tolerances: decode attention sums hs <= 16 products and <= 11 softmax terms in f32 vs f64: ~1e-7 errors,
// bound 1e-5 as in ops.test.ts. Sampled tokens must be IDENTICAL. The GPU's cumulative sums are f32 (23
// terms, exp accurate to a few ULP): their normalised error is <~1e-6, so a token can only differ if u
// lies that close to a CDF boundary. With ~500 draws per case and 23 boundaries that happens with
// probability ~2 * 1e-6 * 23 * 500 = 2e-2; the data is fixed (seeded), and a precondition checks that
// every u is at least 5e-6 from every boundary, so any difference is a real bug. RNG bits match exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EOS_ID, PAD_ID, type SampleSettings } from '../../../src/backend/backend';
import { hash4, rngUniform } from '../../../src/backend/rng';
import type { WebGpuBackend } from '../../../src/backend/webgpu';
import { ropeTable } from '../../../src/model/rope';
import { Twin, newGpuBackend, type TwinTensor } from './helpers';

let gpu: WebGpuBackend;
let tw: Twin;

beforeAll(async () => {
  gpu = await newGpuBackend();
  tw = new Twin(gpu);
});

afterAll(() => gpu?.destroy());

describe('WGSL RNG', () => {
  it('hash4 and the f32 uniform match rng.ts bit for bit (incl. u32 wrap of rowOffset + b)', async () => {
    const f32 = new Float32Array(1);
    const asBits = new Uint32Array(f32.buffer);
    for (const [seed, step, rowOffset, pos] of [[0, 0, 0, 1], [0xdeadbeef, 7, 100, 63], [0xffffffff, 2 ** 31, 2 ** 32 - 5, 0]]) {
      const count = 64;
      const bits = await gpu.rngBits(seed, step, rowOffset, pos, count);
      for (let i = 0; i < count; i++) {
        const row = (rowOffset + i) >>> 0;
        expect(bits[2 * i], `hash row ${row}`).toBe(hash4(seed, step, row, pos));
        f32[0] = rngUniform(seed, step, row, pos);
        expect(bits[2 * i + 1], `uniform row ${row}`).toBe(asBits[0]);
      }
    }
  });
});

describe('decode step', () => {
  // head size 7 takes attention_decode in decode.wgsl, head size 16 its fast path attention_decode16
  for (const [B, C, NH, Tmax] of [[3, 21, 3, 9], [3, 64, 4, 11]]) {
    const V = 23;
    const hs = C / NH;

    it(`encoderForwardAt and attentionDecode over a whole loop in one encoder, head size ${hs}`, async () => {
      const tokens = tw.of(tw.ints(B * Tmax, 0, V - 1), 'tokens');
      const wte = tw.of(tw.normal(V * C)), wpe = tw.of(tw.normal(Tmax * C));
      const kCache = tw.zeros(B * NH * Tmax * hs), vCache = tw.zeros(B * NH * Tmax * hs);
      const qkv = tw.zeros(B * 3 * C);
      const qkvRows: Float32Array[] = [];
      const emb: TwinTensor[] = [], outs: TwinTensor[] = [];
      await gpu.flush();
      const submitsBefore = gpu.counters().submits;
      for (let pos = 0; pos < Tmax; pos++) {
        const rows = tw.normal(B * 3 * C);
        qkvRows.push(rows);
        const e = tw.zeros(B * C), o = tw.zeros(B * C);
        emb.push(e);
        outs.push(o);
        tw.cpu.write(qkv.c, rows);
        gpu.write(qkv.g, rows); // recorded after the previous decode step: goes through the upload arena
        tw.run((b, t) => {
          b.encoderForwardAt(t(e), t(tokens), t(wte), t(wpe), B, C, Tmax, pos);
          b.attentionDecode(t(o), t(kCache), t(vCache), t(qkv), B, C, NH, Tmax, pos);
        });
      }
      expect(gpu.counters().submits, 'nothing submitted while recording').toBe(submitsBefore);
      for (let pos = 0; pos < Tmax; pos++) {
        await tw.same(emb[pos], `encoderForwardAt pos ${pos}`);
        await tw.close(outs[pos], 1e-5, 1e-5, `attentionDecode pos ${pos}`);
      }
      await tw.same(kCache, 'kCache');
      await tw.same(vCache, 'vCache');

      // The decode path follows attention_forward's arithmetic: the same rows through the full forward pass
      // on the same device give the same numbers.
      const full = asFullBatch(qkvRows, B, Tmax, C);
      const qkvFull = gpu.alloc(full.length), outFull = gpu.alloc(B * Tmax * C), att = gpu.alloc(B * NH * Tmax * Tmax);
      gpu.write(qkvFull, full);
      gpu.attentionForward(outFull, att, qkvFull, B, Tmax, C, NH);
      await expectDecodeEqualsFull(outs, (await gpu.read(outFull)) as Float32Array, B, Tmax, C);
    });
  }
});

describe('decode step of a rope model', () => {
  // head size 4 (generic attention_decode) and 16 (attention_decode16)
  for (const [B, C, NH, Tmax] of [[3, 12, 3, 9], [2, 64, 4, 11]]) {
    const V = 23;
    const hs = C / NH;
    it(`encoderForwardAt without wpe, ropeForward at pos and attentionDecode equal the full rope forward, head size ${hs}`, async () => {
      const tokens = tw.of(tw.ints(B * Tmax, 0, V - 1), 'tokens');
      const wte = tw.of(tw.normal(V * C));
      const table = tw.of(ropeTable(Tmax, hs), 'rope');
      const kCache = tw.zeros(B * NH * Tmax * hs), vCache = tw.zeros(B * NH * Tmax * hs);
      const qkv = tw.zeros(B * 3 * C);
      const qkvRows: Float32Array[] = [];
      const emb: TwinTensor[] = [], outs: TwinTensor[] = [];
      for (let pos = 0; pos < Tmax; pos++) {
        const rows = tw.normal(B * 3 * C);
        qkvRows.push(rows);
        const e = tw.zeros(B * C), o = tw.zeros(B * C);
        emb.push(e);
        outs.push(o);
        tw.cpu.write(qkv.c, rows);
        gpu.write(qkv.g, rows);
        tw.run((b, t) => {
          b.encoderForwardAt(t(e), t(tokens), t(wte), null, B, C, Tmax, pos);
          b.ropeForward(t(qkv), t(table), B, 1, C, NH, pos);
          b.attentionDecode(t(o), t(kCache), t(vCache), t(qkv), B, C, NH, Tmax, pos);
        });
      }
      for (let pos = 0; pos < Tmax; pos++) {
        await tw.same(emb[pos], `encoderForwardAt pos ${pos}`);
        await tw.close(outs[pos], 1e-5, 1e-5, `attentionDecode pos ${pos}`);
      }
      await tw.close(kCache, 1e-5, 1e-5, 'kCache (rotated keys)');
      await tw.same(vCache, 'vCache');

      // on one device, decoding position by position gives exactly the full pass: rope over all positions
      // then causal attention
      const full = asFullBatch(qkvRows, B, Tmax, C);
      const qkvFull = gpu.alloc(full.length), outFull = gpu.alloc(B * Tmax * C), att = gpu.alloc(B * NH * Tmax * Tmax);
      gpu.write(qkvFull, full);
      gpu.ropeForward(qkvFull, table.g, B, Tmax, C, NH, 0);
      gpu.attentionForward(outFull, att, qkvFull, B, Tmax, C, NH);
      await expectDecodeEqualsFull(outs, (await gpu.read(outFull)) as Float32Array, B, Tmax, C);
    });
  }
});

/** The qkv rows a decode loop fed position by position, laid out as one (B, Tmax, 3C) batch for the full pass. */
function asFullBatch(qkvRows: readonly Float32Array[], B: number, Tmax: number, C: number): Float32Array {
  const full = new Float32Array(B * Tmax * 3 * C);
  for (let pos = 0; pos < Tmax; pos++) {
    for (let b = 0; b < B; b++) full.set(qkvRows[pos].subarray(b * 3 * C, (b + 1) * 3 * C), (b * Tmax + pos) * 3 * C);
  }
  return full;
}

/** Each decode position's output rows are exactly the full pass's rows at that position. */
async function expectDecodeEqualsFull(outs: readonly TwinTensor[], fullOut: Float32Array, B: number, Tmax: number, C: number) {
  for (let pos = 0; pos < Tmax; pos++) {
    const d = (await gpu.read(outs[pos].g)) as Float32Array;
    const rowsOfFull = new Float32Array(B * C);
    for (let b = 0; b < B; b++) rowsOfFull.set(fullOut.subarray((b * Tmax + pos) * C, (b * Tmax + pos + 1) * C), b * C);
    expect(Array.from(d), `decode vs forward pos ${pos}`).toEqual(Array.from(rowsOfFull));
  }
}

/** Smallest distance between u and the kept CDF boundaries of one row, as the CPU computes them (f64). */
function cdfMargin(logits: Float32Array, V: number, s: SampleSettings, u: number): number {
  const max = Math.max(...logits);
  const order = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a] || a - b);
  const keep = new Set(s.topK > 0 && s.topK < V ? order.slice(0, s.topK) : order);
  const e = Array.from(logits, (x, v) => (keep.has(v) ? Math.exp((x - max) / s.temperature) : 0));
  const total = e.reduce((a, b) => a + b, 0);
  let cum = 0;
  let margin = Infinity;
  for (const x of e) {
    if (x === 0) continue;
    cum += x / total;
    margin = Math.min(margin, Math.abs(cum - u));
  }
  return margin;
}

describe('sampleNext', () => {
  const B = 64, V = 23, Tseq = 12;
  const cases: SampleSettings[] = [
    { temperature: 1, topK: 0, seed: 1, step: 0, rowOffset: 0 },
    { temperature: 0.7, topK: 5, seed: 0xabcdef, step: 17, rowOffset: 640 },
    { temperature: 1.3, topK: 1, seed: 99, step: 3, rowOffset: 2 ** 32 - 10 },
  ];
  for (const s of cases) {
    it(`same tokens and log-probs as the CPU, T=${s.temperature} topK=${s.topK}, a loop of positions in one encoder`, async () => {
      const tok = tw.ints(B * Tseq, 3, V - 1);
      const prompt = tw.ints(B, 1, 6);
      // Rows ending early: EOS/PAD at position 5. Row 0 has it as its last PROMPT token (the row goes on),
      // row 9 after its prompt (finished: PAD from then on).
      for (let b = 0; b < B; b += 9) tok[b * Tseq + 5] = b % 2 === 0 ? EOS_ID : PAD_ID;
      prompt[0] = 6;
      prompt[9] = 3;
      const logitsData = tw.normal(B * V, 3);
      const tokens = tw.of(tok), logps = tw.zeros(B * Tseq), logits = tw.of(logitsData), promptLen = tw.of(prompt);
      for (let pos = 4; pos < Tseq; pos++) {
        for (let b = 0; b < B; b++) {
          if (pos + 1 < prompt[b] || pos + 1 >= Tseq) continue;
          const u = rngUniform(s.seed, s.step, (s.rowOffset + b) >>> 0, pos + 1);
          const margin = cdfMargin(logitsData.subarray(b * V, (b + 1) * V), V, s, u);
          expect(margin, `test data: u of row ${b} pos ${pos} is too close to a CDF boundary`).toBeGreaterThan(5e-6);
        }
        tw.run((b, t) => b.sampleNext(t(tokens), t(logps), t(logits), t(promptLen), B, V, Tseq, pos, s));
      }
      await tw.same(tokens, 'tokens');
      await tw.close(logps, 1e-5, 1e-5, 'logps');
    });
  }
});
