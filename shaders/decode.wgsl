// decode.wgsl: one step of incremental decoding with a KV cache (Backend.encoderForwardAt,
// Backend.attentionDecode). See encoder.wgsl for the conventions (Params layout, read_write bindings,
// flat 1D launches of 64). `pos` changes every step: it lives in this op's own uniform-ring slot, so a
// whole decode loop can be recorded into one command encoder.
//
// encoder_at        out (B,C), tokens (B,Tseq) u32, wte (V,C), wpe (>=pos+1,C)
//   One invocation per output element (B*C): out[b,c] = wte[tokens[b,pos],c] + wpe[pos,c];
//   a token id >= V writes NaN (see encoder.wgsl).
// attention_decode  out (B,C), kCache (B,NH,Tmax,hs), vCache (B,NH,Tmax,hs), qkv (B,3C)
//   One invocation per (b, h) (B*NH): stores k, v of the new position at `pos`, then attends q over
//   0..pos in three short passes (max, exp-sum, weighted sum), recomputing q.k instead of keeping a score
//   array. Every float operation follows attention_forward's row `pos` in the same order, so the decode
//   path reproduces the full forward pass bit for bit on the same device. The invocation reads back the
//   cache row it just wrote (own writes are visible to the writer).

struct Params {
  B: u32,
  C: u32,
  Tseq: u32,
  pos: u32,
  V: u32,
  NH: u32,
  Tmax: u32,
  hs: u32,
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
  eout[i] = wte[tok * C + c] + wpe[P.pos * C + c];
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
