// loss.wgsl: per-token log-probs/entropy and the GRPO loss gradient (Backend.tokenLogprobs,
// Backend.grpoLossBackward; TRL semantics).
// See encoder.wgsl for the conventions (Params layout, read_write bindings, flat 1D launches of 64).
//
// token_logprobs      logp (N), entropy (N), logits (N,V), targets (N) u32
// grpo_loss_backward  dlogits (N,V) (overwritten), stats (N,4) = [logp, entropy, k3, clipCode],
//                     logits (N,V), targets (N) u32, tokenData (N,3) = [advantage, weight, mode],
//                     oldLogp (N), refLogp (N)
//   One invocation per row n (N rows): max, exp-sum, log-prob, entropy and the whole gradient row in one
//   pass over the row, no reductions across invocations. The vocabulary is tiny here (tens of tokens); a
//   workgroup per row would only pay for barriers. d logp / d logits = onehot(target) - softmax.
//   Per token (r = exp(logp - oldLogp)):
//     CLIPPED (0):   loss -min(r A, clip(r, 1-epsLow, 1+epsHigh) A); the gradient flows through r A when it
//                    is the min (or equal), else 0; clipCode LOW (A<0, r<1-epsLow) / HIGH (A>0, r>1+epsHigh)
//     ON_POLICY (1): r = 1 exactly, d loss / d logp = -A
//     SHAPED (2):    loss -(r/(r+gamma)) A, d/dlogp = -A gamma r / (r+gamma)^2
//     beta > 0:      + beta k3, k3 = exp(ref - logp) - (ref - logp) - 1, d k3/dlogp = 1 - exp(ref - logp)
//   Rows with weight 0 get an exact 0 gradient even if their terms are inf/NaN. A target >= V or an unknown
//   mode writes NaN (the CPU backend throws there; a kernel cannot).

struct Params {
  N: u32,
  V: u32,
  epsLow: f32,
  epsHigh: f32,
  beta: f32,
  gamma: f32,
}

const WG: u32 = 64u;

// Columns of tokenData and stats, named as TOKEN_DATA and TOKEN_STATS in src/backend/backend.ts (a test
// compares the two).
const TD_COLUMNS: u32 = 3u;
const TD_ADVANTAGE: u32 = 0u;
const TD_WEIGHT: u32 = 1u;
const TD_MODE: u32 = 2u;
const ST_COLUMNS: u32 = 4u;
const ST_LOGP: u32 = 0u;
const ST_ENTROPY: u32 = 1u;
const ST_K3: u32 = 2u;
const ST_CLIP_CODE: u32 = 3u;

@group(0) @binding(0) var<uniform> P: Params;

// token_logprobs
@group(0) @binding(1) var<storage, read_write> logpOut: array<f32>;
@group(0) @binding(2) var<storage, read_write> entropyOut: array<f32>;
// grpo_loss_backward
@group(0) @binding(1) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(2) var<storage, read_write> stats: array<f32>;
@group(0) @binding(5) var<storage, read_write> tokenData: array<f32>;
@group(0) @binding(6) var<storage, read_write> oldLogp: array<f32>;
@group(0) @binding(7) var<storage, read_write> refLogp: array<f32>;
// both
@group(0) @binding(3) var<storage, read_write> logits: array<f32>;
@group(0) @binding(4) var<storage, read_write> targets: array<u32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

fn poison(x: u32) -> f32 {
  return bitcast<f32>(0x7fc00000u | (x & 0u));
}

struct RowStats {
  max: f32,
  logZ: f32, // log sum exp(x - max)
}

fn rowStats(off: u32) -> RowStats {
  var m = logits[off];
  for (var v = 1u; v < P.V; v++) {
    m = max(m, logits[off + v]);
  }
  var s = 0.0;
  for (var v = 0u; v < P.V; v++) {
    s += exp(logits[off + v] - m);
  }
  return RowStats(m, log(s));
}

// -sum p log p = logZ - sum p * (x - max)
fn rowEntropy(off: u32, rs: RowStats) -> f32 {
  var pDot = 0.0;
  for (var v = 0u; v < P.V; v++) {
    let shifted = logits[off + v] - rs.max;
    pDot += exp(shifted - rs.logZ) * shifted;
  }
  return rs.logZ - pDot;
}

@compute @workgroup_size(64)
fn token_logprobs(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = flatIndex(gid, nwg);
  if (n >= P.N) {
    return;
  }
  let off = n * P.V;
  let tgt = targets[n];
  if (tgt >= P.V) {
    logpOut[n] = poison(tgt);
    entropyOut[n] = poison(tgt);
    return;
  }
  let rs = rowStats(off);
  logpOut[n] = logits[off + tgt] - rs.max - rs.logZ;
  entropyOut[n] = rowEntropy(off, rs);
}

@compute @workgroup_size(64)
fn grpo_loss_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = flatIndex(gid, nwg);
  if (n >= P.N) {
    return;
  }
  let V = P.V;
  let off = n * V;
  let tgt = targets[n];
  if (tgt >= V) {
    for (var k = 0u; k < ST_COLUMNS; k++) {
      stats[n * ST_COLUMNS + k] = poison(tgt);
    }
    for (var v = 0u; v < V; v++) {
      dlogits[off + v] = poison(tgt);
    }
    return;
  }
  let rs = rowStats(off);
  let logp = logits[off + tgt] - rs.max - rs.logZ;
  let advantage = tokenData[n * TD_COLUMNS + TD_ADVANTAGE];
  let weight = tokenData[n * TD_COLUMNS + TD_WEIGHT];
  let mode = tokenData[n * TD_COLUMNS + TD_MODE];

  var dlossDlogp = 0.0;
  var clipCode = 0.0;
  if (mode == 1.0) {
    dlossDlogp = -advantage;
  } else if (mode == 2.0) {
    let r = exp(logp - oldLogp[n]);
    let denom = r + P.gamma;
    dlossDlogp = (-advantage * P.gamma * r) / (denom * denom);
  } else if (mode == 0.0) {
    let r = exp(logp - oldLogp[n]);
    let unclipped = r * advantage;
    let clipped = clamp(r, 1.0 - P.epsLow, 1.0 + P.epsHigh) * advantage;
    dlossDlogp = select(0.0, -advantage * r, unclipped <= clipped);
    if (advantage < 0.0 && r < 1.0 - P.epsLow) {
      clipCode = 1.0;
    } else if (advantage > 0.0 && r > 1.0 + P.epsHigh) {
      clipCode = 2.0;
    }
  } else {
    dlossDlogp = poison(n);
    clipCode = poison(n);
  }
  var k3 = 0.0;
  if (P.beta > 0.0) {
    let delta = refLogp[n] - logp;
    let ratio = exp(delta);
    k3 = ratio - delta - 1.0;
    dlossDlogp += P.beta * (1.0 - ratio);
  }
  stats[n * ST_COLUMNS + ST_LOGP] = logp;
  stats[n * ST_COLUMNS + ST_ENTROPY] = rowEntropy(off, rs);
  stats[n * ST_COLUMNS + ST_K3] = k3;
  stats[n * ST_COLUMNS + ST_CLIP_CODE] = clipCode;

  // select() instead of weight * dlossDlogp alone: masked rows must give 0, not 0 * inf = NaN.
  let g = select(weight * dlossDlogp, 0.0, weight == 0.0);
  for (var v = 0u; v < V; v++) {
    let p = exp(logits[off + v] - rs.max - rs.logZ);
    let onehot = select(0.0, 1.0, v == tgt);
    dlogits[off + v] = select(g * (onehot - p), 0.0, g == 0.0);
  }
}
