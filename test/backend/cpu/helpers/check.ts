// Comparison helpers: elementwise closeness with stated tolerances, and central finite differences.
import { expect } from 'vitest';

export interface Tolerance {
  rtol: number;
  atol: number;
}

/**
 * Expects |actual[i] - expected[i]| <= atol + rtol * |expected[i]| for all i, with equal lengths and no NaN,
 * reporting the worst element on failure.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const excess = Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (Number.isNaN(a) || Number.isNaN(e) || excess > worstExcess) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (rtol ${tol.rtol}, atol ${tol.atol})`);
  }
}

/** Expects some element of a reference to be clearly non-zero, so a comparison against it means something. */
export function expectNonTrivial(values: ArrayLike<number>, what: string, minMaxAbs = 1e-3): void {
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  expect(maxAbs, `${what}: the reference is all ~0, the check would be vacuous`).toBeGreaterThan(minMaxAbs);
}

/**
 * The gradient of a scalar function by central differences, (f(x + h e_i) - f(x - h e_i)) / 2h, in float64.
 * `x` is perturbed in place and restored.
 */
export function finiteDiffGradient(f: () => number, x: Float64Array, h = 1e-4): Float64Array {
  const grad = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const saved = x[i];
    x[i] = saved + h;
    const plus = f();
    x[i] = saved - h;
    const minus = f();
    x[i] = saved;
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}

/** sum_i a[i] * b[i] in float64: the scalar loss sum(dout * out) whose gradient a backward op computes. */
export function dotSum(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Tolerance of a float32 op (double intermediates, f32 storage) against a float64 reference. */
export const F32_VS_F64: Tolerance = { rtol: 1e-5, atol: 1e-6 };
/** Tolerance of a float32 backward op against float64 central differences with h = 1e-4. */
export const F32_VS_FINITE_DIFF: Tolerance = { rtol: 1e-4, atol: 1e-5 };
