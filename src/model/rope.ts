// The rotary position table of a 'rope' model (src/model/config.ts): for positions 0..maxT-1 and channel
// pairs i < hs/2 of a head, [cos, sin] of the angle pos * ROPE_THETA^(-2i/hs), computed in double precision
// and rounded once to f32. Both backends' rope ops read this one table, so the CPU twin and the WGSL kernel
// rotate by identical numbers (WGSL's own cos/sin are only accurate to ~1e-3 at angles of tens of radians).
// Layout (maxT, hs/2, 2), the pairs interleaved: the pairing of channels (2i, 2i+1) as in the RoPE paper.

/** The base of the rotation frequencies (RoFormer, LLaMA). */
export const ROPE_THETA = 10000;

export function ropeTable(maxT: number, hs: number): Float32Array {
  if (!(Number.isInteger(hs) && hs > 0 && hs % 2 === 0)) throw new RangeError(`ropeTable: head size ${hs} must be a positive even integer`);
  const half = hs / 2;
  const table = new Float32Array(maxT * hs);
  for (let pos = 0; pos < maxT; pos++) {
    for (let i = 0; i < half; i++) {
      const angle = pos * Math.pow(ROPE_THETA, (-2 * i) / hs);
      table[(pos * half + i) * 2] = Math.cos(angle);
      table[(pos * half + i) * 2 + 1] = Math.sin(angle);
    }
  }
  return table;
}
