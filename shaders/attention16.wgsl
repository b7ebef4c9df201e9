// attention16.wgsl: attention.wgsl's three kernels specialised for head size 16 (the shipped model's:
// C=64, NH=4), with the same bindings, shapes and ownership rules (see attention.wgsl's header).
// The host picks these when hs == 16 (then every head starts at a multiple of 4 floats).
//
// What the specialisation buys on SwiftShader (a CPU: its storage loads are bounds-checked gathers): q, dout
// and the running sums live in vec4 registers, and k, v, q, dout rows are read as vec4s (one load instead of
// four). Measured at B=32, T=64, C=64, NH=4: forward 500 -> 91 ms (generic kernel with the same row order:
// 250 ms), see docs/performance.md.
//
// Softmax arithmetic shared bit for bit with attention_decode16 (decode.wgsl), so a KV-cache decode step
// reproduces this forward pass exactly on the same device:
//   score = (16 products summed in channel order) * scale; m = max over t2 <= t;
//   e = exp(score - m); sum = sum of e in t2 order; acc = sum of e * v in t2 order;
//   inv = 1 / sum; att = e * inv; out = acc * inv.

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
@group(0) @binding(1) var<storage, read_write> out: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> att: array<f32>;
@group(0) @binding(3) var<storage, read_write> qkv: array<vec4f>;

// backward
@group(0) @binding(1) var<storage, read_write> dqkv: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dout: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> bqkv: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> batt: array<f32>;
@group(0) @binding(5) var<storage, read_write> dpre: array<f32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

// (b, h, t) of flat row id r: t-major, so neighbouring invocations share t (uniform causal loops).
fn rowOf(r: u32) -> vec3u {
  let BH = P.B * P.NH;
  let bh = r % BH;
  return vec3u(bh / P.NH, bh % P.NH, r / BH);
}

fn dot16(a0: vec4f, a1: vec4f, a2: vec4f, a3: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> f32 {
  var d = 0.0;
  d += a0.x * b0.x; d += a0.y * b0.y; d += a0.z * b0.z; d += a0.w * b0.w;
  d += a1.x * b1.x; d += a1.y * b1.y; d += a1.z * b1.z; d += a1.w * b1.w;
  d += a2.x * b2.x; d += a2.y * b2.y; d += a2.z * b2.z; d += a2.w * b2.w;
  d += a3.x * b3.x; d += a3.y * b3.y; d += a3.z * b3.z; d += a3.w * b3.w;
  return d;
}

@compute @workgroup_size(64)
fn attention_forward16(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = flatIndex(gid, nwg);
  let T = P.T;
  if (id >= P.B * P.NH * T) {
    return;
  }
  let bht = rowOf(id);
  let b = bht.x;
  let h = bht.y;
  let t = bht.z;
  let C34 = 3u * P.C / 4u; // one position of qkv, in vec4s
  let C4 = P.C / 4u;
  let query = (b * T + t) * C34 + h * 4u;
  let seq = b * T * C34 + h * 4u; // position 0 of this (b, h)
  let row = ((b * P.NH + h) * T + t) * T;
  let q0 = qkv[query]; let q1 = qkv[query + 1u]; let q2 = qkv[query + 2u]; let q3 = qkv[query + 3u];
  var m = LOWEST;
  for (var t2 = 0u; t2 <= t; t2++) {
    let k = seq + t2 * C34 + C4;
    let s = dot16(q0, q1, q2, q3, qkv[k], qkv[k + 1u], qkv[k + 2u], qkv[k + 3u]) * P.scale;
    att[row + t2] = s;
    m = max(m, s);
  }
  var sum = 0.0;
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  for (var t2 = 0u; t2 <= t; t2++) {
    let e = exp(att[row + t2] - m);
    att[row + t2] = e;
    sum += e;
    let v = seq + t2 * C34 + 2u * C4;
    a0 += e * qkv[v]; a1 += e * qkv[v + 1u]; a2 += e * qkv[v + 2u]; a3 += e * qkv[v + 3u];
  }
  let inv = select(0.0, 1.0 / sum, sum > 0.0);
  for (var t2 = 0u; t2 <= t; t2++) {
    att[row + t2] *= inv;
  }
  for (var t2 = t + 1u; t2 < T; t2++) {
    att[row + t2] = 0.0; // the causal mask, kept explicit for backward
  }
  let o = (b * T + t) * C4 + h * 4u;
  out[o] = a0 * inv; out[o + 1u] = a1 * inv; out[o + 2u] = a2 * inv; out[o + 3u] = a3 * inv;
}

@compute @workgroup_size(64)
fn attention_backward_q16(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = flatIndex(gid, nwg);
  let T = P.T;
  if (id >= P.B * P.NH * T) {
    return;
  }
  let bht = rowOf(id);
  let b = bht.x;
  let h = bht.y;
  let t = bht.z;
  let C34 = 3u * P.C / 4u;
  let C4 = P.C / 4u;
  let query = (b * T + t) * C34 + h * 4u;
  let seq = b * T * C34 + h * 4u;
  let dr = (b * T + t) * C4 + h * 4u;
  let row = ((b * P.NH + h) * T + t) * T;
  let d0 = dout[dr]; let d1 = dout[dr + 1u]; let d2 = dout[dr + 2u]; let d3 = dout[dr + 3u];
  // datt[t2] = dout . v[t2], parked in dpre; and sum_t2 att * datt for the softmax backward.
  var attDotDatt = 0.0;
  for (var t2 = 0u; t2 <= t; t2++) {
    let v = seq + t2 * C34 + 2u * C4;
    let datt = dot16(d0, d1, d2, d3, bqkv[v], bqkv[v + 1u], bqkv[v + 2u], bqkv[v + 3u]);
    dpre[row + t2] = datt;
    attDotDatt += batt[row + t2] * datt;
  }
  var g0 = dqkv[query]; var g1 = dqkv[query + 1u]; var g2 = dqkv[query + 2u]; var g3 = dqkv[query + 3u];
  for (var t2 = 0u; t2 <= t; t2++) {
    let dp = batt[row + t2] * (dpre[row + t2] - attDotDatt) * P.scale;
    dpre[row + t2] = dp;
    let k = seq + t2 * C34 + C4;
    g0 += dp * bqkv[k]; g1 += dp * bqkv[k + 1u]; g2 += dp * bqkv[k + 2u]; g3 += dp * bqkv[k + 3u];
  }
  dqkv[query] = g0; dqkv[query + 1u] = g1; dqkv[query + 2u] = g2; dqkv[query + 3u] = g3;
}

@compute @workgroup_size(64)
fn attention_backward_kv16(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = flatIndex(gid, nwg);
  let T = P.T;
  if (id >= P.B * P.NH * T) {
    return;
  }
  let bht = rowOf(id); // (b, h, t2): the key/value row this invocation owns
  let b = bht.x;
  let h = bht.y;
  let t2 = bht.z;
  let C34 = 3u * P.C / 4u;
  let C4 = P.C / 4u;
  let seq = b * T * C34 + h * 4u;
  let key = seq + t2 * C34 + C4;
  let value = key + C4;
  let head = (b * P.NH + h) * T; // row index of (b, h, t = 0)
  var k0 = dqkv[key]; var k1 = dqkv[key + 1u]; var k2 = dqkv[key + 2u]; var k3 = dqkv[key + 3u];
  var v0 = dqkv[value]; var v1 = dqkv[value + 1u]; var v2 = dqkv[value + 2u]; var v3 = dqkv[value + 3u];
  for (var t = t2; t < T; t++) {
    let at = (head + t) * T + t2;
    let dp = dpre[at];
    let a = batt[at];
    let q = seq + t * C34;
    let d = (b * T + t) * C4 + h * 4u;
    k0 += dp * bqkv[q]; k1 += dp * bqkv[q + 1u]; k2 += dp * bqkv[q + 2u]; k3 += dp * bqkv[q + 3u];
    v0 += a * dout[d]; v1 += a * dout[d + 1u]; v2 += a * dout[d + 2u]; v3 += a * dout[d + 3u];
  }
  dqkv[key] = k0; dqkv[key + 1u] = k1; dqkv[key + 2u] = k2; dqkv[key + 3u] = k3;
  dqkv[value] = v0; dqkv[value + 1u] = v1; dqkv[value + 2u] = v2; dqkv[value + 3u] = v3;
}
