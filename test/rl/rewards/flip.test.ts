import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/backend/rng';
import { flipRewards } from '../../../src/rl/rewards/flip';

/** A batch of `groups` groups of size g with random 0/1 rewards, all parseable. */
function batch(groups: number, g: number, seed: number) {
  const rng = new Rng(seed, 1);
  const n = groups * g;
  return {
    rewards: Array.from({ length: n }, () => (rng.bernoulli(0.5) ? 1 : 0)),
    groupIds: Array.from({ length: n }, (_, i) => Math.floor(i / g)),
    parseable: new Array<boolean>(n).fill(true),
  };
}

const fourSigma = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);

describe('flipRewards', () => {
  it('group mode: one draw per group, frequency within 4 sigma of p, whole groups flip together', () => {
    const p = 0.3;
    const G = 20000; // 4 sigma = 0.013: a 10% relative bias in the draw would show
    const b = batch(G, 4, 11);
    const { rewards, flipped } = flipRewards(b.rewards, b.groupIds, b.parseable, p, 'group', new Rng(5));
    let fired = 0;
    for (let g = 0; g < G; g++) {
      const f = flipped.slice(4 * g, 4 * g + 4);
      expect(new Set(f).size).toBe(1); // all or none
      if (f[0]) fired++;
    }
    expect(Math.abs(fired / G - p)).toBeLessThan(fourSigma(p, G));
    rewards.forEach((r, i) => expect(r).toBe(flipped[i] ? 1 - b.rewards[i] : b.rewards[i]));
  });

  it('group mode follows group ids, not positions', () => {
    // 500 groups whose members sit 500 positions apart: each must still flip as one.
    const ids = Array.from({ length: 2000 }, (_, i) => i % 500);
    const { flipped } = flipRewards(ids.map(() => 0), ids, ids.map(() => true), 0.5, 'group', new Rng(3));
    for (let g = 0; g < 500; g++) expect(new Set([0, 1, 2, 3].map((k) => flipped[g + 500 * k])).size).toBe(1);
  });

  it('completion mode: independent draws, frequency within 4 sigma, groups can be mixed', () => {
    const p = 0.4;
    const b = batch(5000, 4, 12);
    const { flipped } = flipRewards(b.rewards, b.groupIds, b.parseable, p, 'completion', new Rng(6));
    const share = flipped.filter(Boolean).length / flipped.length;
    expect(Math.abs(share - p)).toBeLessThan(fourSigma(p, flipped.length));
    let mixed = 0;
    for (let g = 0; g < 5000; g++) if (new Set(flipped.slice(4 * g, 4 * g + 4)).size > 1) mixed++;
    expect(mixed).toBeGreaterThan(0);
  });

  it('an unparseable completion never gets reward 1, in either mode', () => {
    const n = 4000;
    const rng = new Rng(9, 2);
    const parseable = Array.from({ length: n }, () => rng.bernoulli(0.5));
    const rewards = parseable.map((ok) => (ok && rng.bernoulli(0.5) ? 1 : 0));
    const ids = rewards.map((_, i) => Math.floor(i / 8));
    for (const mode of ['group', 'completion'] as const) {
      const out = flipRewards(rewards, ids, parseable, 0.9, mode, new Rng(1));
      parseable.forEach((ok, i) => {
        if (!ok) {
          expect(out.rewards[i]).toBe(0);
          expect(out.flipped[i]).toBe(false);
        }
      });
      expect(out.rewards.some((r, i) => parseable[i] && r !== rewards[i])).toBe(true); // flips did happen
    }
  });

  it('p = 0 changes nothing, p = 1 flips every parseable completion', () => {
    const r = [1, 0, 1, 0];
    const ids = [0, 0, 1, 1];
    const ok = [true, true, true, false];
    expect(flipRewards(r, ids, ok, 0, 'group', new Rng(1)).rewards).toEqual([1, 0, 1, 0]);
    expect(flipRewards(r, ids, ok, 1, 'group', new Rng(1)).rewards).toEqual([0, 1, 0, 0]);
    expect(flipRewards(r, ids, ok, 1, 'completion', new Rng(1)).flipped).toEqual([true, true, true, false]);
  });

  it('is deterministic given the seed and rejects bad input', () => {
    const b = batch(50, 4, 13);
    const a1 = flipRewards(b.rewards, b.groupIds, b.parseable, 0.5, 'group', new Rng(77));
    const a2 = flipRewards(b.rewards, b.groupIds, b.parseable, 0.5, 'group', new Rng(77));
    expect(a1).toEqual(a2);
    expect(() => flipRewards([0.5], [0], [true], 0.1, 'group', new Rng(1))).toThrow(RangeError);
    expect(() => flipRewards([1], [0], [true], 1.5, 'group', new Rng(1))).toThrow(RangeError);
  });
});
