// rope.wgsl: rotary position embedding on q and k of qkv, in place (Backend.ropeForward / ropeBackward).
// See encoder.wgsl for the conventions (Params layout, read_write bindings, flat 1D launches of 64).
//
// rope_forward   qkv (B,T,3C), table (>=pos0+T, hs/2, 2) = [cos, sin] per (position, channel pair).
//   One invocation per rotated channel pair: B*T * 2 (q, k) * C/2 = B*T*C. Pair i of head h of q (or k) of
//   row (b, t) holds channels 2i, 2i+1 of that head; at position p = pos0 + t it becomes
//   (x0 cos - x1 sin, x0 sin + x1 cos). Each invocation reads and writes only its own two floats, so the
//   op is race-free in place. v is not touched.
// rope_backward  dqkv (B,T,3C), table: the transpose (rotation by -angle) of dq and dk, in place.
// cos and sin come from the host-built table (src/model/rope.ts), not from WGSL's cos/sin, whose accuracy
// is unspecified outside [-pi, pi]: both backends then rotate by the very same f32 numbers.

struct Params {
  B: u32,
  T: u32,
  C: u32,
  hs: u32,
  pos0: u32,
}

const WG: u32 = 64u;

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(2) var<storage, read_write> table: array<f32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

// Rotate pair `i` (flat over B*T*C pairs) by the table's angle; sign = -1 turns it back.
fn rotatePair(i: u32, sign: f32) {
  let C = P.C;
  let half = C / 2u; // pairs per third (q or k) of a row
  let n = i / C; // row b*T + t
  let r = i % C; // pair within the row's q | k: r < half is q, else k
  let part = r / half;
  let j = r % half; // pair within the third: head j / (hs/2), pair (j % (hs/2)) of that head
  let hh = P.hs / 2u;
  let pair = j % hh;
  let t = n % P.T;
  let a = ((P.pos0 + t) * hh + pair) * 2u;
  let cosA = table[a];
  let sinA = sign * table[a + 1u];
  let x = n * 3u * C + part * C + 2u * j;
  let x0 = qkv[x];
  let x1 = qkv[x + 1u];
  qkv[x] = x0 * cosA - x1 * sinA;
  qkv[x + 1u] = x0 * sinA + x1 * cosA;
}

@compute @workgroup_size(64)
fn rope_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= P.B * P.T * P.C) {
    return;
  }
  rotatePair(i, 1.0);
}

@compute @workgroup_size(64)
fn rope_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= P.B * P.T * P.C) {
    return;
  }
  rotatePair(i, -1.0);
}
