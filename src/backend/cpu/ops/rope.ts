// Rotary position embedding (RoPE, Su et al. 2021) on the q and k thirds of qkv (B,T,3C), in place.
// Head h of q (and of k) is channels h*hs .. h*hs+hs-1; its channel pairs (2i, 2i+1), i < hs/2, are rotated
// by the angle pos * theta_i, where pos = pos0 + t is the token's index in the sequence. The cosines and
// sines come from a table (Tmax, hs/2, 2) = [cos, sin] built once per model (src/model/rope.ts), so this op
// and its WGSL kernel multiply by the same f32 numbers. v is not touched.
//   forward:  (x0, x1) -> (x0 cos - x1 sin, x0 sin + x1 cos)
//   backward: the transpose, i.e. the rotation by -angle, applied to dq and dk in place (dv unchanged).
// In place is enough for backward: attention's backward reads the rotated q and k it attended with, and
// the qkv matmul's backward reads its input, never the un-rotated qkv.

import { headSize } from './attention';

function rotate(qkv: Float32Array, table: Float32Array, B: number, T: number, C: number, NH: number, pos0: number, sign: 1 | -1, what: string): void {
  const hs = headSize(C, NH, what);
  if (hs % 2 !== 0) throw new RangeError(`${what}: head size ${hs} is odd (rope rotates channel pairs)`);
  if (!(Number.isInteger(pos0) && pos0 >= 0)) throw new RangeError(`${what}: pos0 must be a non-negative integer, got ${pos0}`);
  const half = hs / 2;
  if ((pos0 + T) * hs > table.length) {
    throw new RangeError(`${what}: positions ${pos0}..${pos0 + T - 1} exceed the ${table.length / hs} positions of the rope table`);
  }
  const C3 = 3 * C;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = (b * T + t) * C3;
      const angles = (pos0 + t) * hs; // start of this position's [cos, sin] pairs
      for (let part = 0; part < 2; part++) { // q, then k
        for (let h = 0; h < NH; h++) {
          const head = row + part * C + h * hs;
          for (let i = 0; i < half; i++) {
            const cos = table[angles + 2 * i];
            const sin = sign * table[angles + 2 * i + 1];
            const x0 = qkv[head + 2 * i];
            const x1 = qkv[head + 2 * i + 1];
            qkv[head + 2 * i] = x0 * cos - x1 * sin;
            qkv[head + 2 * i + 1] = x0 * sin + x1 * cos;
          }
        }
      }
    }
  }
}

/** Rotate q and k of qkv (B,T,3C) in place to positions pos0 .. pos0+T-1. */
export function ropeForward(qkv: Float32Array, table: Float32Array, B: number, T: number, C: number, NH: number, pos0: number): void {
  rotate(qkv, table, B, T, C, NH, pos0, 1, 'ropeForward');
}

/** d loss / d (q, k before rotation) from d loss / d (rotated q, k), in place on dqkv (B,T,3C). */
export function ropeBackward(dqkv: Float32Array, table: Float32Array, B: number, T: number, C: number, NH: number, pos0: number): void {
  rotate(dqkv, table, B, T, C, NH, pos0, -1, 'ropeBackward');
}
