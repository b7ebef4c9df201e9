// Counter-based random numbers: a draw is a pure function of its coordinates, so the CPU reference,
// the WGSL sampler (shaders/sample.wgsl mirrors this code) and a resumed run all get the same numbers.
// The mixer is the "lowbias32" integer hash (Chris Wellons), applied as a chain over the coordinates.

/** lowbias32: a good 32-bit integer mixer using only multiply, xor and shift. */
export function hash32(x: number): number {
  x = x >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** A 32-bit hash of four u32 coordinates. */
export function hash4(a: number, b: number, c: number, d: number): number {
  let h = hash32(a ^ 0x9e3779b9);
  h = hash32((h ^ b) >>> 0);
  h = hash32((h ^ c) >>> 0);
  h = hash32((h ^ d) >>> 0);
  return h;
}

/** A uniform draw in (0, 1), exactly representable in f32: ((h >> 8) + 0.5) / 2^24. */
export function rngUniform(seed: number, step: number, row: number, pos: number): number {
  return ((hash4(seed, step, row, pos) >>> 8) + 0.5) / 16777216;
}

/**
 * A small seeded stream generator for host-side randomness (task generation, init, shuffles, flips).
 * Each value is rngUniform(seed, stream, counter, 0) with an incrementing counter, so a stream can be
 * re-created at any point from (seed, stream, counter).
 */
export class Rng {
  private counter = 0;
  constructor(readonly seed: number, readonly stream = 0) {}
  /** Uniform in (0, 1). */
  next(): number {
    return rngUniform(this.seed >>> 0, this.stream >>> 0, this.counter++ >>> 0, 0x5eed);
  }
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.min(hi - lo, Math.floor(this.next() * (hi - lo + 1)));
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  bernoulli(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }
  /** Fisher-Yates shuffle in place. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
  /** A child stream, independent of this one. */
  fork(stream: number): Rng {
    return new Rng(hash4(this.seed, this.stream, stream, 0xf04c), stream);
  }
}
