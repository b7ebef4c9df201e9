// layernorm.wgsl: LayerNorm over the last dimension, forward and backward (llm.c layernorm_*).
// See encoder.wgsl for the conventions (Params layout, read_write bindings, flat 1D launches of 64).
//
// layernorm_forward   out (N,C), mean (N), rstd (N), inp (N,C), weight (C), bias (C)
//   One invocation per row: C is small here (tens to hundreds), so a serial two-pass mean/variance per row
//   beats a workgroup reduction whose barriers are expensive on SwiftShader; it also sums in the same
//   order as the CPU reference. Biased variance, eps from Params (1e-5).
// layernorm_backward  dinp (N,C), dweight (C), dbias (C), dout (N,C), inp (N,C), weight (C), mean (N), rstd (N)
//   (8 storage buffers: the per-stage budget this project allows.) One dispatch, two jobs:
//   invocations [0, N) each own a row of dinp (+=); invocations [rowsPad, rowsPad + C) each own a channel
//   and scan all N rows in order for dweight/dbias (+=): deterministic, no atomics, no second pass.
//   rowsPad = N rounded up to 64 so no workgroup mixes the two jobs.

struct Params {
  N: u32,
  C: u32,
  rowsPad: u32,
  eps: f32,
}

const WG: u32 = 64u;

@group(0) @binding(0) var<uniform> P: Params;

// forward
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> meanOut: array<f32>;
@group(0) @binding(3) var<storage, read_write> rstdOut: array<f32>;
@group(0) @binding(4) var<storage, read_write> inp: array<f32>;
@group(0) @binding(5) var<storage, read_write> weight: array<f32>;
@group(0) @binding(6) var<storage, read_write> bias: array<f32>;

// backward
@group(0) @binding(1) var<storage, read_write> dinp: array<f32>;
@group(0) @binding(2) var<storage, read_write> dweight: array<f32>;
@group(0) @binding(3) var<storage, read_write> dbias: array<f32>;
@group(0) @binding(4) var<storage, read_write> dout: array<f32>;
@group(0) @binding(5) var<storage, read_write> binp: array<f32>;
@group(0) @binding(6) var<storage, read_write> bweight: array<f32>;
@group(0) @binding(7) var<storage, read_write> mean: array<f32>;
@group(0) @binding(8) var<storage, read_write> rstd: array<f32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

@compute @workgroup_size(64)
fn layernorm_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let n = flatIndex(gid, nwg);
  if (n >= P.N) {
    return;
  }
  let C = P.C;
  let row = n * C;
  var sum = 0.0;
  for (var i = 0u; i < C; i++) {
    sum += inp[row + i];
  }
  let m = sum / f32(C);
  // Two passes (mean, then squared deviations) avoid the cancellation of E[x^2] - E[x]^2.
  var sumSq = 0.0;
  for (var i = 0u; i < C; i++) {
    let d = inp[row + i] - m;
    sumSq += d * d;
  }
  let s = 1.0 / sqrt(sumSq / f32(C) + P.eps);
  for (var i = 0u; i < C; i++) {
    out[row + i] = (inp[row + i] - m) * s * weight[i] + bias[i];
  }
  meanOut[n] = m;
  rstdOut[n] = s;
}

@compute @workgroup_size(64)
fn layernorm_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  let C = P.C;
  if (i < P.N) {
    // Row job: dinp += rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm)).
    let row = i * C;
    let m = mean[i];
    let s = rstd[i];
    var dnormMean = 0.0;
    var dnormNormMean = 0.0;
    for (var c = 0u; c < C; c++) {
      let norm = (binp[row + c] - m) * s;
      let dnorm = bweight[c] * dout[row + c];
      dnormMean += dnorm;
      dnormNormMean += dnorm * norm;
    }
    dnormMean = dnormMean / f32(C);
    dnormNormMean = dnormNormMean / f32(C);
    for (var c = 0u; c < C; c++) {
      let norm = (binp[row + c] - m) * s;
      let dnorm = bweight[c] * dout[row + c];
      dinp[row + c] += (dnorm - dnormMean - norm * dnormNormMean) * s;
    }
    return;
  }
  if (i < P.rowsPad || i >= P.rowsPad + C) {
    return;
  }
  // Channel job: scan the rows in order (deterministic) for the weight and bias gradients.
  let c = i - P.rowsPad;
  var accW = dweight[c];
  var accB = dbias[c];
  for (var n = 0u; n < P.N; n++) {
    let d = dout[n * C + c];
    accB += d;
    accW += (binp[n * C + c] - mean[n]) * rstd[n] * d;
  }
  dweight[c] = accW;
  dbias[c] = accB;
}
