import { describe, expect, it } from 'vitest';
import { EOS_ID, PAD_ID, type SampleSettings } from '../../../../src/backend/backend';
import { Rng, rngUniform } from '../../../../src/backend/rng';
import { sampleNext } from '../../../../src/backend/cpu/ops/sample';
import { chiSquare, naiveSample, naiveSampleProbs, naiveSoftmax } from '../helpers/naiveLoss';
import { randomF32 } from '../helpers/random';

const V = 11, Tseq = 6;
const settings: SampleSettings = { temperature: 1, topK: 0, seed: 42, step: 3, rowOffset: 5 };

/** B rows that all generate (prompt of 1 token, BOS-like id 1 at position 0), sampling position pos+1 = 1. */
function run(logits: Float32Array, B: number, s: SampleSettings, pos = 0, promptLen = 1) {
  const tokens = new Uint32Array(B * Tseq).fill(7);
  const logps = new Float32Array(B * Tseq).fill(-9);
  sampleNext(tokens, logps, logits, new Uint32Array(B).fill(promptLen), B, V, Tseq, pos, s);
  return { tokens, logps };
}

/** One logits row repeated B times. */
function repeatRow(row: ArrayLike<number>, B: number): Float32Array {
  const out = new Float32Array(B * V);
  for (let b = 0; b < B; b++) out.set(Array.from(row), b * V);
  return out;
}

describe('sampleNext', () => {
  it('equals the naive inverse-CDF sample with u = rngUniform(seed, step, rowOffset + b, pos + 1)', () => {
    const B = 40;
    const logits = randomF32(new Rng(1), B * V, 2);
    for (const s of [settings, { ...settings, temperature: 0.6, topK: 3 }, { ...settings, temperature: 1.7, topK: 20 }]) {
      const pos = 2;
      const { tokens, logps } = run(logits, B, s, pos);
      for (let b = 0; b < B; b++) {
        const u = rngUniform(s.seed, s.step, s.rowOffset + b, pos + 1);
        const expected = naiveSample(logits, b * V, V, s.temperature, s.topK, u);
        expect(tokens[b * Tseq + pos + 1], `row ${b} temperature ${s.temperature} topK ${s.topK}`).toBe(expected);
        // The log-prob is under the full tempered softmax, not renormalised over the top-k.
        const full = Math.log(naiveSoftmax(logits, b * V, V, s.temperature)[expected]);
        expect(logps[b * Tseq + pos + 1]).toBeCloseTo(full, 5);
      }
    }
  });

  it('is deterministic in its inputs and changes with the seed', () => {
    const logits = randomF32(new Rng(2), 64 * V);
    const a = run(logits, 64, settings), b = run(logits, 64, settings), c = run(logits, 64, { ...settings, seed: 43 });
    expect(Array.from(a.tokens)).toEqual(Array.from(b.tokens));
    expect(Array.from(a.logps)).toEqual(Array.from(b.logps));
    expect(Array.from(a.tokens)).not.toEqual(Array.from(c.tokens));
  });

  it('gives the argmax at a tiny temperature and with top-k = 1 (ties: the lower index)', () => {
    const B = 50;
    const logits = randomF32(new Rng(3), B * V);
    for (const [s, tiedRows] of [[{ ...settings, temperature: 1e-3 }, 0], [{ ...settings, topK: 1 }, 10]] as const) {
      // Tied maxima only under top-k = 1 (at a tiny temperature two tied tokens share the mass 50/50).
      for (let b = 0; b < tiedRows; b++) { logits[b * V + 2] = 5; logits[b * V + 8] = 5; }
      const { tokens } = run(logits, B, s);
      for (let b = 0; b < B; b++) {
        const row = Array.from(logits.subarray(b * V, (b + 1) * V));
        expect(tokens[b * Tseq + 1], `row ${b}`).toBe(row.indexOf(Math.max(...row)));
      }
    }
  });

  it('top-k keeps the k largest logits, ties broken by the lower index', () => {
    const row = [0, 3, 3, 3, 1, 0, 0, 0, 0, 0, 2]; // k = 2 keeps tokens 1 and 2, never 3
    const counts = new Array<number>(V).fill(0);
    for (let seed = 0; seed < 20; seed++) {
      const { tokens } = run(repeatRow(row, 100), 100, { ...settings, topK: 2, seed });
      for (let b = 0; b < 100; b++) counts[tokens[b * Tseq + 1]]++;
    }
    expect(counts[1] + counts[2]).toBe(2000);
    expect(Math.min(counts[1], counts[2])).toBeGreaterThan(900); // 50/50 in expectation, sd 22
  });

  // Frequencies over 20 seeds x 1000 rows = 20000 draws. Pearson's chi-square with V-1 (or k-1) degrees of
  // freedom; the bounds are the 1 - 1e-4 quantiles (35.56 for df 10, 21.11 for df 3), so a correct sampler
  // with a good RNG fails with probability 1e-4 (the RNG is counter-based, so the outcome is reproducible).
  // The same counts are also tested against a slightly wrong distribution, which must be rejected.
  it('empirical frequencies match softmax(logits / temperature) restricted to the top-k', () => {
    const row = [2.0, 1.0, 0.5, 0.0, -0.5, 1.5, 0.2, -1.0, 0.8, 1.2, -0.2];
    for (const [s, df, bound] of [[settings, 10, 35.56], [{ ...settings, temperature: 0.7, topK: 4 }, 3, 21.11]] as const) {
      const counts = new Array<number>(V).fill(0);
      for (let seed = 0; seed < 20; seed++) {
        const { tokens } = run(repeatRow(row, 1000), 1000, { ...s, seed });
        for (let b = 0; b < 1000; b++) counts[tokens[b * Tseq + 1]]++;
      }
      const probs = naiveSampleProbs(row, 0, V, s.temperature, s.topK);
      expect(probs.filter((p) => p > 0).length - 1).toBe(df);
      expect(chiSquare(counts, probs), `chi-square, temperature ${s.temperature}`).toBeLessThan(bound);
      const wrong = naiveSampleProbs(row, 0, V, s.temperature * 1.15, s.topK);
      expect(chiSquare(counts, wrong), 'the test has power against a 15% temperature error').toBeGreaterThan(bound);
    }
  });

  it('keeps prompt tokens with logp 0 while pos + 1 < promptLen', () => {
    const logits = randomF32(new Rng(4), 3 * V);
    const { tokens, logps } = run(logits, 3, settings, 1, 4); // pos 1: position 2 is still prompt
    for (let b = 0; b < 3; b++) {
      expect(tokens[b * Tseq + 2]).toBe(7);
      expect(logps[b * Tseq + 2]).toBe(0);
    }
  });

  it('finishes rows after EOS or PAD (writes PAD, logp 0), but samples after an EOS that is the last prompt token', () => {
    const B = 4, pos = 2;
    const logits = randomF32(new Rng(5), B * V);
    const tokens = new Uint32Array(B * Tseq).fill(7);
    tokens[0 * Tseq + pos] = EOS_ID; // generated EOS -> PAD
    tokens[1 * Tseq + pos] = PAD_ID; // already finished -> PAD
    tokens[2 * Tseq + pos] = EOS_ID; // row 2's prompt ends at pos (promptLen 3): sample normally
    const logps = new Float32Array(B * Tseq).fill(-9);
    sampleNext(tokens, logps, logits, new Uint32Array([1, 1, 3, 1]), B, V, Tseq, pos, settings);
    expect([tokens[pos + 1], logps[pos + 1]]).toEqual([PAD_ID, 0]);
    expect([tokens[Tseq + pos + 1], logps[Tseq + pos + 1]]).toEqual([PAD_ID, 0]);
    for (const b of [2, 3]) {
      const u = rngUniform(settings.seed, settings.step, settings.rowOffset + b, pos + 1);
      expect(tokens[b * Tseq + pos + 1]).toBe(naiveSample(logits, b * V, V, 1, 0, u));
      expect(logps[b * Tseq + pos + 1]).toBeLessThan(0);
    }
  });

  it('does nothing when pos + 1 >= Tseq, and rejects temperature <= 0', () => {
    const logits = randomF32(new Rng(6), 2 * V);
    const { tokens, logps } = run(logits, 2, settings, Tseq - 1);
    expect(tokens.every((t) => t === 7)).toBe(true);
    expect(logps.every((l) => l === -9)).toBe(true);
    expect(() => run(logits, 2, { ...settings, temperature: 0 })).toThrow(/temperature/);
  });
});
