// decode.wgsl: one step of incremental decoding with a KV cache (Backend.encoderForwardAt,
// Backend.attentionDecode). See encoder.wgsl for the conventions (Params layout, read_write bindings,
// flat 1D launches of 64). `pos` changes every step: it lives in this op's own uniform-ring slot, so a
// whole decode loop can be recorded into one command encoder.
//
// encoder_at        out (B,C), tokens (B,Tseq) u32, wte (V,C), wpe (>=pos+1,C)
//   One invocation per output element (B*C): out[b,c] = wte[tokens[b,pos],c] + wpe[pos,c], or wte's
//   element alone when hasWpe is 0 (a rotary-position model; wpe is then a dummy binding);
//   a token id >= V writes NaN (see encoder.wgsl).
// attention_decode  out (B,C), kCache (B,NH,Tmax,hs), vCache (B,NH,Tmax,hs), qkv (B,3C)
//   One invocation per (b, h) (B*NH): stores k, v of the new position at `pos`, then attends q over
//   0..pos in three short passes (max, exp-sum, weighted sum), recomputing q.k instead of keeping a score
//   array. Every float operation follows attention_forward's row `pos` in the same order, so the decode
//   path reproduces the full forward pass bit for bit on the same device. The invocation reads back the
//   cache row it just wrote (own writes are visible to the writer).
// attention_decode16  the same for head size 16 with vec4 bindings (out, kCache, vCache, qkv as
//   array<vec4f>), q and the running sum in registers, two passes (max; then exp-sum and the weighted sum
//   of values together), mirroring attention_forward16 (attention16.wgsl) operation for operation.
//   Measured on SwiftShader at B=128, pos=40: 52 ms -> 3 ms per call (docs/performance.md).

struct Params {
  B: u32,
  C: u32,
  Tseq: u32,
  pos: u32,
  V: u32,
  NH: u32,
  Tmax: u32,
  hs: u32,
  hasWpe: u32,
  scale: f32,
}

const WG: u32 = 64u;
const LOWEST: f32 = -3.4028234e38;

@group(0) @binding(0) var<uniform> P: Params;

// encoder_at
@group(0) @binding(1) var<storage, read_write> eout: array<f32>;
@group(0) @binding(2) var<storage, read_write> tokens: array<u32>;
@group(0) @binding(3) var<storage, read_write> wte: array<f32>;
@group(0) @binding(4) var<storage, read_write> wpe: array<f32>;

// attention_decode
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> kCache: array<f32>;
@group(0) @binding(3) var<storage, read_write> vCache: array<f32>;
@group(0) @binding(4) var<storage, read_write> qkv: array<f32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

fn poison(x: u32) -> f32 {
  return bitcast<f32>(0x7fc00000u | (x & 0u));
}

@compute @workgroup_size(64)
fn encoder_at(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  let C = P.C;
  if (i >= P.B * C) {
    return;
  }
  let b = i / C;
  let c = i % C;
  let tok = tokens[b * P.Tseq + P.pos];
  if (tok >= P.V) {
    eout[i] = poison(tok);
    return;
  }
  if (P.hasWpe != 0u) {
    eout[i] = wte[tok * C + c] + wpe[P.pos * C + c];
  } else {
    eout[i] = wte[tok * C + c];
  }
}

// q . k[t] * scale for query row `query` and cache row `key`, summed in attention_forward's order.
fn score(query: u32, key: u32) -> f32 {
  var dot = 0.0;
  for (var i = 0u; i < P.hs; i++) {
    dot += qkv[query + i] * kCache[key + i];
  }
  return dot * P.scale;
}

@compute @workgroup_size(64)
fn attention_decode(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let bh = flatIndex(gid, nwg);
  if (bh >= P.B * P.NH) {
    return;
  }
  let b = bh / P.NH;
  let h = bh % P.NH;
  let C = P.C;
  let hs = P.hs;
  let pos = P.pos;
  let query = b * 3u * C + h * hs;
  let head = bh * P.Tmax * hs; // cache row 0 of (b, h)
  let slot = head + pos * hs;
  for (var i = 0u; i < hs; i++) {
    kCache[slot + i] = qkv[query + C + i];
    vCache[slot + i] = qkv[query + 2u * C + i];
  }
  var maxScore = LOWEST;
  for (var t = 0u; t <= pos; t++) {
    maxScore = max(maxScore, score(query, head + t * hs));
  }
  var expSum = 0.0;
  for (var t = 0u; t <= pos; t++) {
    expSum += exp(score(query, head + t * hs) - maxScore);
  }
  let invSum = select(0.0, 1.0 / expSum, expSum > 0.0);
  let o = b * C + h * hs;
  for (var i = 0u; i < hs; i++) {
    out[o + i] = 0.0;
  }
  for (var t = 0u; t <= pos; t++) {
    let p = exp(score(query, head + t * hs) - maxScore) * invSum;
    let value = head + t * hs;
    for (var i = 0u; i < hs; i++) {
      out[o + i] += p * vCache[value + i];
    }
  }
}

@group(0) @binding(1) var<storage, read_write> out4: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> kCache4: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> vCache4: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> qkv4: array<vec4f>;

fn dot16(a0: vec4f, a1: vec4f, a2: vec4f, a3: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> f32 {
  var d = 0.0;
  d += a0.x * b0.x; d += a0.y * b0.y; d += a0.z * b0.z; d += a0.w * b0.w;
  d += a1.x * b1.x; d += a1.y * b1.y; d += a1.z * b1.z; d += a1.w * b1.w;
  d += a2.x * b2.x; d += a2.y * b2.y; d += a2.z * b2.z; d += a2.w * b2.w;
  d += a3.x * b3.x; d += a3.y * b3.y; d += a3.z * b3.z; d += a3.w * b3.w;
  return d;
}

@compute @workgroup_size(64)
fn attention_decode16(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let bh = flatIndex(gid, nwg);
  if (bh >= P.B * P.NH) {
    return;
  }
  let b = bh / P.NH;
  let h = bh % P.NH;
  let C4 = P.C / 4u;
  let pos = P.pos;
  let query = b * 3u * C4 + h * 4u;
  let head = bh * P.Tmax * 4u; // cache row 0 of (b, h), in vec4s
  let slot = head + pos * 4u;
  for (var i = 0u; i < 4u; i++) {
    kCache4[slot + i] = qkv4[query + C4 + i];
    vCache4[slot + i] = qkv4[query + 2u * C4 + i];
  }
  let q0 = qkv4[query]; let q1 = qkv4[query + 1u]; let q2 = qkv4[query + 2u]; let q3 = qkv4[query + 3u];
  var m = LOWEST;
  for (var t = 0u; t <= pos; t++) {
    let k = head + t * 4u;
    m = max(m, dot16(q0, q1, q2, q3, kCache4[k], kCache4[k + 1u], kCache4[k + 2u], kCache4[k + 3u]) * P.scale);
  }
  var sum = 0.0;
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  for (var t = 0u; t <= pos; t++) {
    let k = head + t * 4u;
    let e = exp(dot16(q0, q1, q2, q3, kCache4[k], kCache4[k + 1u], kCache4[k + 2u], kCache4[k + 3u]) * P.scale - m);
    sum += e;
    a0 += e * vCache4[k]; a1 += e * vCache4[k + 1u]; a2 += e * vCache4[k + 2u]; a3 += e * vCache4[k + 3u];
  }
  let inv = select(0.0, 1.0 / sum, sum > 0.0);
  let o = b * C4 + h * 4u;
  out4[o] = a0 * inv; out4[o + 1u] = a1 * inv; out4[o + 2u] = a2 * inv; out4[o + 3u] = a3 * inv;
}
