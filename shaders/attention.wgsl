// attention.wgsl: fused causal multi-head self-attention, forward and backward (llm.c attention_*).
// See encoder.wgsl for the conventions (Params layout, read_write bindings, flat 1D launches of 64).
// Shapes: qkv (B,T,3C) = q | k | v per position; head h uses channels h*hs .. h*hs+hs-1, hs = C/NH.
// Row index r = (b*NH + h)*T + t names one query row; att row r starts at r*T.
//
// attention_forward      out (B,T,C), att (B,NH,T,T), qkv
//   One invocation per query row (B*NH*T): scores q.k*scale for t2 <= t, max, exp, normalise (the softmax
//   runs inside the kernel, using its own att row as scratch), zeros above the diagonal, then
//   out = att @ v. No shared memory: T and hs are small, and barriers are slow on SwiftShader.
// attention_backward_q   dqkv, dout (B,T,C), qkv, att, dpre (B,NH,T,T) scratch owned by the backend
//   One invocation per query row: datt[t2] = dout.v[t2]; dpre[t2] = att*(datt - sum(att*datt))*scale
//   (softmax backward with the score scale folded in), saved to dpre; then dq += sum_t2 dpre[t2] * k[t2].
// attention_backward_kv  same bindings; one invocation per key row (b,h,t2), run after _q (next dispatch):
//   dk[t2] += sum_{t>=t2} dpre[t,t2] * q[t];  dv[t2] += sum_{t>=t2} att[t,t2] * dout[t].
//   Splitting by who OWNS each output row (queries, then keys/values) makes every += deterministic with
//   no atomics; the sums over t run in increasing t, the CPU reference's order.
//
// Rows are numbered t-major (rowOf): the 4 invocations SwiftShader runs side by side in one SIMD group then
// share t, so the causal loops have the same trip count in every lane (no masked-off iterations), and the
// weighted sums over t2 keep 4 output channels in a vec4 accumulator instead of re-reading att per channel.
// Measured on SwiftShader at B=32, T=64, C=64, NH=4: forward 500 -> 250 ms. Head size 16 (the model's)
// has its own kernels with vec4 loads and registers (attention16.wgsl); these serve every other head size.

struct Params {
  B: u32,
  T: u32,
  C: u32,
  NH: u32,
  hs: u32,
  scale: f32,
}

const WG: u32 = 64u;
const LOWEST: f32 = -3.4028234e38;

@group(0) @binding(0) var<uniform> P: Params;

// forward
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> att: array<f32>;
@group(0) @binding(3) var<storage, read_write> qkv: array<f32>;

// backward
@group(0) @binding(1) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(2) var<storage, read_write> dout: array<f32>;
@group(0) @binding(3) var<storage, read_write> bqkv: array<f32>;
@group(0) @binding(4) var<storage, read_write> batt: array<f32>;
@group(0) @binding(5) var<storage, read_write> dpre: array<f32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

// (b, h, t) of flat row id r: t-major, so neighbouring invocations share t.
fn rowOf(r: u32) -> vec3u {
  let BH = P.B * P.NH;
  let bh = r % BH;
  return vec3u(bh / P.NH, bh % P.NH, r / BH);
}

@compute @workgroup_size(64)
fn attention_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = flatIndex(gid, nwg);
  let T = P.T;
  if (id >= P.B * P.NH * T) {
    return;
  }
  let bht = rowOf(id);
  let b = bht.x;
  let h = bht.y;
  let t = bht.z;
  let C = P.C;
  let C3 = 3u * C;
  let hs = P.hs;
  let query = (b * T + t) * C3 + h * hs;
  let seq = b * T * C3 + h * hs; // position 0 of this (b, h)
  let row = ((b * P.NH + h) * T + t) * T;
  var maxScore = LOWEST;
  for (var t2 = 0u; t2 <= t; t2++) {
    let key = seq + t2 * C3 + C;
    var dot = 0.0;
    for (var i = 0u; i < hs; i++) {
      dot += qkv[query + i] * qkv[key + i];
    }
    dot *= P.scale;
    att[row + t2] = dot;
    maxScore = max(maxScore, dot);
  }
  var expSum = 0.0;
  for (var t2 = 0u; t2 <= t; t2++) {
    let e = exp(att[row + t2] - maxScore);
    att[row + t2] = e;
    expSum += e;
  }
  let invSum = select(0.0, 1.0 / expSum, expSum > 0.0);
  for (var t2 = 0u; t2 <= t; t2++) {
    att[row + t2] *= invSum;
  }
  for (var t2 = t + 1u; t2 < T; t2++) {
    att[row + t2] = 0.0; // the causal mask, kept explicit for backward
  }
  // out = att @ v, 4 channels at a time (lanes past hs read a clamped channel and are not stored)
  let o = (b * T + t) * C + h * hs;
  let vbase = seq + 2u * C;
  for (var i = 0u; i < hs; i += 4u) {
    let i1 = min(i + 1u, hs - 1u);
    let i2 = min(i + 2u, hs - 1u);
    let i3 = min(i + 3u, hs - 1u);
    var acc = vec4f(0.0);
    for (var t2 = 0u; t2 <= t; t2++) {
      let v = vbase + t2 * C3;
      acc += att[row + t2] * vec4f(qkv[v + i], qkv[v + i1], qkv[v + i2], qkv[v + i3]);
    }
    out[o + i] = acc.x;
    if (i + 1u < hs) { out[o + i + 1u] = acc.y; }
    if (i + 2u < hs) { out[o + i + 2u] = acc.z; }
    if (i + 3u < hs) { out[o + i + 3u] = acc.w; }
  }
}

@compute @workgroup_size(64)
fn attention_backward_q(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = flatIndex(gid, nwg);
  let T = P.T;
  if (id >= P.B * P.NH * T) {
    return;
  }
  let bht = rowOf(id);
  let b = bht.x;
  let h = bht.y;
  let t = bht.z;
  let C = P.C;
  let C3 = 3u * C;
  let hs = P.hs;
  let query = (b * T + t) * C3 + h * hs;
  let seq = b * T * C3 + h * hs;
  let doutRow = (b * T + t) * C + h * hs;
  let row = ((b * P.NH + h) * T + t) * T;
  // datt[t2] = dout . v[t2], parked in dpre; and sum_t2 att * datt for the softmax backward.
  var attDotDatt = 0.0;
  for (var t2 = 0u; t2 <= t; t2++) {
    let value = seq + t2 * C3 + 2u * C;
    var datt = 0.0;
    for (var i = 0u; i < hs; i++) {
      datt += bqkv[value + i] * dout[doutRow + i];
    }
    dpre[row + t2] = datt;
    attDotDatt += batt[row + t2] * datt;
  }
  for (var t2 = 0u; t2 <= t; t2++) {
    dpre[row + t2] = batt[row + t2] * (dpre[row + t2] - attDotDatt) * P.scale;
  }
  for (var i = 0u; i < hs; i++) {
    var acc = dqkv[query + i];
    for (var t2 = 0u; t2 <= t; t2++) {
      acc += bqkv[seq + t2 * C3 + C + i] * dpre[row + t2];
    }
    dqkv[query + i] = acc;
  }
}

@compute @workgroup_size(64)
fn attention_backward_kv(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = flatIndex(gid, nwg);
  let T = P.T;
  if (id >= P.B * P.NH * T) {
    return;
  }
  let bht = rowOf(id); // (b, h, t2): the key/value row this invocation owns
  let b = bht.x;
  let h = bht.y;
  let t2 = bht.z;
  let C = P.C;
  let C3 = 3u * C;
  let hs = P.hs;
  let seq = b * T * C3 + h * hs;
  let key = seq + t2 * C3 + C;
  let value = key + C;
  let head = (b * P.NH + h) * T; // row index of (b, h, t = 0)
  for (var i = 0u; i < hs; i++) {
    var accK = dqkv[key + i];
    var accV = dqkv[value + i];
    for (var t = t2; t < T; t++) {
      let at = (head + t) * T + t2;
      accK += bqkv[seq + t * C3 + i] * dpre[at];
      accV += batt[at] * dout[(b * T + t) * C + h * hs + i];
    }
    dqkv[key + i] = accK;
    dqkv[value + i] = accV;
  }
}
