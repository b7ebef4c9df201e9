// optimizer.wgsl: global gradient norm (deterministic two-pass reduction) and AdamW over the flat
// parameter buffer in ONE dispatch (Backend.globalNorm, Backend.adamW).
// See encoder.wgsl for the conventions (Params layout, read_write bindings, flat 1D launches of 64).
//
// norm_partial  partial (nParts) scratch owned by the backend, grads (N)
//   nParts invocations; invocation p sums grads[i]^2 over its contiguous chunk [p*chunk, (p+1)*chunk) in
//   index order. No barriers or shared memory (slow on SwiftShader), no atomics: the result depends only on
//   N and nParts, never on scheduling.
// norm_final    out (1), partial (nParts)
//   One invocation (dispatch of 1 workgroup, the others return at once) sums the partials in order and
//   writes sqrt. Runs as the next dispatch, so it sees every partial.
// adamw         params, grads, m, v (N), decayMask (N) u32 or f32 bits, norm (1)
//   One invocation per parameter, the whole flat buffer in one dispatch. The clip factor
//   min(1, maxGradNorm / (norm + clipEps)) is computed on device from norm[0] (no readback), 1 when
//   maxGradNorm <= 0. Bias corrections (1 - beta^t) and 1 - beta come from the host in f64, rounded once.
//   Decay is decoupled and applies where decayMask != 0 (compared as f32 when maskIsF32, so -0.0 is 0).

struct Params {
  N: u32,
  nParts: u32,
  chunk: u32,
  maskIsF32: u32,
  lr: f32,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  eps: f32,
  weightDecay: f32,
  bc1: f32, // 1 - beta1^t
  bc2: f32, // 1 - beta2^t
  maxGradNorm: f32,
  clipEps: f32,
}

const WG: u32 = 64u;

@group(0) @binding(0) var<uniform> P: Params;

// norm_partial: s1 = partial, s2 = grads;  norm_final: s1 = out, s2 = partial
@group(0) @binding(1) var<storage, read_write> s1: array<f32>;
@group(0) @binding(2) var<storage, read_write> s2: array<f32>;

// adamw
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
@group(0) @binding(5) var<storage, read_write> decayMask: array<u32>;
@group(0) @binding(6) var<storage, read_write> norm: array<f32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

@compute @workgroup_size(64)
fn norm_partial(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = flatIndex(gid, nwg);
  if (p >= P.nParts) {
    return;
  }
  let start = min(p * P.chunk, P.N);
  let end = min(start + P.chunk, P.N);
  var sum = 0.0;
  for (var i = start; i < end; i++) {
    let g = s2[i];
    sum += g * g;
  }
  s1[p] = sum;
}

@compute @workgroup_size(64)
fn norm_final(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  if (flatIndex(gid, nwg) != 0u) {
    return;
  }
  var sum = 0.0;
  for (var p = 0u; p < P.nParts; p++) {
    sum += s2[p];
  }
  s1[0] = sqrt(sum);
}

@compute @workgroup_size(64)
fn adamw(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= P.N) {
    return;
  }
  var scale = 1.0;
  if (P.maxGradNorm > 0.0) {
    scale = min(1.0, P.maxGradNorm / (norm[0] + P.clipEps));
  }
  let g = grads[i] * scale;
  let mi = P.beta1 * m[i] + P.oneMinusBeta1 * g;
  let vi = P.beta2 * v[i] + P.oneMinusBeta2 * g * g;
  let mHat = mi / P.bc1;
  let vHat = vi / P.bc2;
  let p = params[i];
  let bits = decayMask[i];
  let decays = select(bits != 0u, bitcast<f32>(bits) != 0.0, P.maskIsF32 != 0u);
  let decay = select(0.0, P.weightDecay * p, decays);
  params[i] = p - P.lr * (mHat / (sqrt(vHat) + P.eps) + decay);
  m[i] = mi;
  v[i] = vi;
}
