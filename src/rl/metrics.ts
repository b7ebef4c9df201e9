// Plain statistics for the trainer's logs and the evaluator (Pass@k: docs/methods.md, "Pass@k").
// Everything here is a pure function of its arguments, so a logged number can be recomputed by hand.

import { ClipCode } from '../backend/backend';

/** Arithmetic mean; NaN for an empty list (an undefined mean should not be logged as a real 0). */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Standard deviation with `ddof` degrees of freedom removed (default 1: Bessel, as torch.std and TRL).
 * NaN for an empty list; 0 when n <= ddof (one sample has no spread; torch would give NaN, which would
 * poison GRPO advantages of a group of one).
 */
export function std(xs: readonly number[], ddof = 1): number {
  const n = xs.length;
  if (n === 0) return NaN;
  if (n <= ddof) return 0;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (n - ddof));
}

/** Standard error of the mean: std (Bessel) / sqrt(n). NaN for an empty list, 0 for a single value. */
export function stderr(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return std(xs) / Math.sqrt(xs.length);
}

/**
 * Unbiased pass@k from n samples of which c are correct (Chen et al. 2021): 1 - C(n-c, k) / C(n, k),
 * in the product form 1 - prod_{i=n-c+1..n} (1 - k/i), which never forms large binomials.
 * Requires integers 0 <= c <= n and 1 <= k <= n (for k > n the estimator is undefined, and the
 * shortcut "n - c < k -> 1" would wrongly return 1 for c = 0).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k)) {
    throw new RangeError(`passAtK: n, c, k must be integers, got ${n}, ${c}, ${k}`);
  }
  if (n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`passAtK: need 0 <= c <= n and 1 <= k <= n, got n=${n} c=${c} k=${k}`);
  }
  if (n - c < k) return 1; // every k-subset contains a correct sample
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

/** The default k grid: 1, 2, 4, ... below n, then n itself (so n = 6 gives 1, 2, 4, 6). */
export function defaultKs(n: number): number[] {
  const ks: number[] = [];
  for (let k = 1; k < n; k *= 2) ks.push(k);
  if (n >= 1) ks.push(n);
  return ks;
}

export interface PassAtKPoint {
  k: number;
  passAtK: number; // mean over problems
  stderr: number; // standard error over problems (problem-to-problem spread only)
}

/**
 * pass@k averaged over problems, for each k. Default ks: defaultKs(smallest n among the problems), so
 * every k is defined for every problem. An empty list of problems gives an empty curve.
 */
export function passAtKCurve(counts: readonly { n: number; c: number }[], ks?: readonly number[]): PassAtKPoint[] {
  if (counts.length === 0) return [];
  const grid = ks ?? defaultKs(Math.min(...counts.map((p) => p.n)));
  return grid.map((k) => {
    const per = counts.map((p) => passAtK(p.n, p.c, k));
    return { k, passAtK: mean(per), stderr: stderr(per) };
  });
}

export type ClipRatioMetrics = Record<'clip_ratio/low_mean' | 'clip_ratio/high_mean' | 'clip_ratio/region_mean', number>;

/**
 * TRL's clip metrics from per-token clip codes (ClipCode: 0 none, 1 low, 2 high; stats column 3 of the
 * GRPO loss op) and the completion mask, both flat over the same tokens: the mask-weighted share of
 * tokens clipped low, high, and either. TRL averages with masked_batch_mean over all completion tokens,
 * hence one token-level mean over the batch, not a mean of per-sequence means. With no unmasked token
 * nothing was clipped, so all three are 0 (TRL would log NaN and skip it with nanmean).
 */
export function clipRatios(clipCodes: ArrayLike<number>, mask: ArrayLike<number>): ClipRatioMetrics {
  if (clipCodes.length !== mask.length) {
    throw new RangeError(`clipRatios: ${clipCodes.length} clip codes but ${mask.length} mask entries`);
  }
  let total = 0;
  let low = 0;
  let high = 0;
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i];
    total += m;
    if (clipCodes[i] === ClipCode.LOW) low += m;
    else if (clipCodes[i] === ClipCode.HIGH) high += m;
  }
  if (total === 0) return { 'clip_ratio/low_mean': 0, 'clip_ratio/high_mean': 0, 'clip_ratio/region_mean': 0 };
  // A token is clipped low only for A < 0 and high only for A > 0, so the two sets are disjoint and the
  // region share is their sum.
  return {
    'clip_ratio/low_mean': low / total,
    'clip_ratio/high_mean': high / total,
    'clip_ratio/region_mean': (low + high) / total,
  };
}
