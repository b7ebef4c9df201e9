// Deterministic random inputs for the CPU op tests (seeded, so a failure reproduces exactly).
import { Rng } from '../../../../src/backend/rng';

/** n values from a normal(0, scale^2), rounded to f32. */
export function randomF32(rng: Rng, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  return out;
}

/** n token ids uniform in [0, V). */
export function randomTokens(rng: Rng, n: number, V: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(0, V - 1);
  return out;
}

/** A float64 copy (for the naive references and finite differences). */
export function f64(a: ArrayLike<number>): Float64Array {
  return Float64Array.from(a);
}
