// matmul.wgsl: fully connected layer out = inp @ weight^T + bias, forward and backward (llm.c matmul_*).
// See encoder.wgsl for the conventions (Params layout, read_write bindings, flat 1D launches of 64).
//
// Register blocking instead of shared-memory tiles: on SwiftShader (a CPU) workgroup barriers cost more
// than they save, so each invocation computes a 4x4 block of outputs in 4 vec4 accumulators from scalar
// loads (each loaded input element feeds 4 products). Loads clamp their row/column to the last valid one
// and stores are masked, so shapes that are not multiples of 4 work without branches in the inner loop.
//
// matmul_forward   out (N,OC), inp (N,C), weight (OC,C), bias (OC) (a dummy when hasBias = 0)
//   One invocation per 4x4 block of out: ceil(N/4) * ceil(OC/4) invocations; block = rb * nOb + ob.
// matmul_backward  dinp (N,C), dweight (OC,C), dbias (OC) (dummy when hasBias = 0), dout (N,OC), inp, weight
//   One dispatch, two jobs (all outputs +=, each element owned by exactly one invocation, sums in a fixed
//   order, so the result is deterministic without atomics):
//   [0, nA)            4x4 blocks of dinp (rows n, channels c), summing over o: dinp += dout @ weight
//   [aPad, aPad + nB)  4x4 blocks of dweight (out channels o, channels c), summing over n in order:
//                      dweight += dout^T @ inp; the blocks with c-block 0 also sum dout columns for dbias.
//   aPad = nA rounded up to 64 so no workgroup mixes the two jobs.

struct Params {
  N: u32,
  C: u32,
  OC: u32,
  hasBias: u32,
  aPad: u32, // backward only
}

const WG: u32 = 64u;

@group(0) @binding(0) var<uniform> P: Params;

// forward
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> inp: array<f32>;
@group(0) @binding(3) var<storage, read_write> weight: array<f32>;
@group(0) @binding(4) var<storage, read_write> bias: array<f32>;

// backward
@group(0) @binding(1) var<storage, read_write> dinp: array<f32>;
@group(0) @binding(2) var<storage, read_write> dweight: array<f32>;
@group(0) @binding(3) var<storage, read_write> dbias: array<f32>;
@group(0) @binding(4) var<storage, read_write> dout: array<f32>;
@group(0) @binding(5) var<storage, read_write> binp: array<f32>;
@group(0) @binding(6) var<storage, read_write> bweight: array<f32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

fn blocks(n: u32) -> u32 {
  return (n + 3u) / 4u;
}

// Writes the first valid lanes of v to out[row, col0 .. col0+3] (row-major with `width` columns).
fn storeOut(row: u32, col0: u32, width: u32, v: vec4f) {
  let base = row * width + col0;
  if (col0 < width) { out[base] = v.x; }
  if (col0 + 1u < width) { out[base + 1u] = v.y; }
  if (col0 + 2u < width) { out[base + 2u] = v.z; }
  if (col0 + 3u < width) { out[base + 3u] = v.w; }
}

@compute @workgroup_size(64)
fn matmul_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = flatIndex(gid, nwg);
  let N = P.N;
  let C = P.C;
  let OC = P.OC;
  let nOb = blocks(OC);
  if (idx >= blocks(N) * nOb) {
    return;
  }
  let r0 = (idx / nOb) * 4u;
  let o0 = (idx % nOb) * 4u;
  // Clamped row starts: out-of-range lanes recompute a valid row and are never stored.
  let x0 = min(r0, N - 1u) * C;
  let x1 = min(r0 + 1u, N - 1u) * C;
  let x2 = min(r0 + 2u, N - 1u) * C;
  let x3 = min(r0 + 3u, N - 1u) * C;
  let w0 = min(o0, OC - 1u) * C;
  let w1 = min(o0 + 1u, OC - 1u) * C;
  let w2 = min(o0 + 2u, OC - 1u) * C;
  let w3 = min(o0 + 3u, OC - 1u) * C;
  var init = vec4f(0.0);
  if (P.hasBias != 0u) {
    init = vec4f(bias[min(o0, OC - 1u)], bias[min(o0 + 1u, OC - 1u)], bias[min(o0 + 2u, OC - 1u)], bias[min(o0 + 3u, OC - 1u)]);
  }
  var a0 = init;
  var a1 = init;
  var a2 = init;
  var a3 = init;
  for (var c = 0u; c < C; c++) {
    let w = vec4f(weight[w0 + c], weight[w1 + c], weight[w2 + c], weight[w3 + c]);
    a0 += inp[x0 + c] * w;
    a1 += inp[x1 + c] * w;
    a2 += inp[x2 + c] * w;
    a3 += inp[x3 + c] * w;
  }
  if (r0 < N) { storeOut(r0, o0, OC, a0); }
  if (r0 + 1u < N) { storeOut(r0 + 1u, o0, OC, a1); }
  if (r0 + 2u < N) { storeOut(r0 + 2u, o0, OC, a2); }
  if (r0 + 3u < N) { storeOut(r0 + 3u, o0, OC, a3); }
}

// dinp[row, c0..c0+3] as a vec4 (clamped columns; masked on store).
fn loadDinp(row: u32, c0: u32) -> vec4f {
  let C = P.C;
  let base = row * C;
  return vec4f(dinp[base + min(c0, C - 1u)], dinp[base + min(c0 + 1u, C - 1u)],
               dinp[base + min(c0 + 2u, C - 1u)], dinp[base + min(c0 + 3u, C - 1u)]);
}

fn storeDinp(row: u32, c0: u32, v: vec4f) {
  let C = P.C;
  let base = row * C + c0;
  if (c0 < C) { dinp[base] = v.x; }
  if (c0 + 1u < C) { dinp[base + 1u] = v.y; }
  if (c0 + 2u < C) { dinp[base + 2u] = v.z; }
  if (c0 + 3u < C) { dinp[base + 3u] = v.w; }
}

fn loadDweight(row: u32, c0: u32) -> vec4f {
  let C = P.C;
  let base = row * C;
  return vec4f(dweight[base + min(c0, C - 1u)], dweight[base + min(c0 + 1u, C - 1u)],
               dweight[base + min(c0 + 2u, C - 1u)], dweight[base + min(c0 + 3u, C - 1u)]);
}

fn storeDweight(row: u32, c0: u32, v: vec4f) {
  let C = P.C;
  let base = row * C + c0;
  if (c0 < C) { dweight[base] = v.x; }
  if (c0 + 1u < C) { dweight[base + 1u] = v.y; }
  if (c0 + 2u < C) { dweight[base + 2u] = v.z; }
  if (c0 + 3u < C) { dweight[base + 3u] = v.w; }
}

@compute @workgroup_size(64)
fn matmul_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = flatIndex(gid, nwg);
  let N = P.N;
  let C = P.C;
  let OC = P.OC;
  let nCb = blocks(C);
  let nA = blocks(N) * nCb;
  if (idx < nA) {
    // dinp block: rows r0..r0+3, channels c0..c0+3, sum over o.
    let r0 = (idx / nCb) * 4u;
    let c0 = (idx % nCb) * 4u;
    let n0 = min(r0, N - 1u);
    let n1 = min(r0 + 1u, N - 1u);
    let n2 = min(r0 + 2u, N - 1u);
    let n3 = min(r0 + 3u, N - 1u);
    let k0 = min(c0, C - 1u);
    let k1 = min(c0 + 1u, C - 1u);
    let k2 = min(c0 + 2u, C - 1u);
    let k3 = min(c0 + 3u, C - 1u);
    var a0 = loadDinp(n0, c0);
    var a1 = loadDinp(n1, c0);
    var a2 = loadDinp(n2, c0);
    var a3 = loadDinp(n3, c0);
    for (var o = 0u; o < OC; o++) {
      let wrow = o * C;
      let w = vec4f(bweight[wrow + k0], bweight[wrow + k1], bweight[wrow + k2], bweight[wrow + k3]);
      a0 += dout[n0 * OC + o] * w;
      a1 += dout[n1 * OC + o] * w;
      a2 += dout[n2 * OC + o] * w;
      a3 += dout[n3 * OC + o] * w;
    }
    if (r0 < N) { storeDinp(r0, c0, a0); }
    if (r0 + 1u < N) { storeDinp(r0 + 1u, c0, a1); }
    if (r0 + 2u < N) { storeDinp(r0 + 2u, c0, a2); }
    if (r0 + 3u < N) { storeDinp(r0 + 3u, c0, a3); }
    return;
  }
  if (idx < P.aPad) {
    return;
  }
  let j = idx - P.aPad;
  if (j >= blocks(OC) * nCb) {
    return;
  }
  // dweight block: out channels q0..q0+3, channels c0..c0+3, sum over n in order.
  let q0 = (j / nCb) * 4u;
  let c0 = (j % nCb) * 4u;
  let o0 = min(q0, OC - 1u);
  let o1 = min(q0 + 1u, OC - 1u);
  let o2 = min(q0 + 2u, OC - 1u);
  let o3 = min(q0 + 3u, OC - 1u);
  let k0 = min(c0, C - 1u);
  let k1 = min(c0 + 1u, C - 1u);
  let k2 = min(c0 + 2u, C - 1u);
  let k3 = min(c0 + 3u, C - 1u);
  var a0 = loadDweight(o0, c0);
  var a1 = loadDweight(o1, c0);
  var a2 = loadDweight(o2, c0);
  var a3 = loadDweight(o3, c0);
  var bsum = vec4f(0.0);
  for (var n = 0u; n < N; n++) {
    let drow = n * OC;
    let irow = n * C;
    let d = vec4f(dout[drow + o0], dout[drow + o1], dout[drow + o2], dout[drow + o3]);
    let x = vec4f(binp[irow + k0], binp[irow + k1], binp[irow + k2], binp[irow + k3]);
    a0 += d.x * x;
    a1 += d.y * x;
    a2 += d.z * x;
    a3 += d.w * x;
    bsum += d;
  }
  if (q0 < OC) { storeDweight(q0, c0, a0); }
  if (q0 + 1u < OC) { storeDweight(q0 + 1u, c0, a1); }
  if (q0 + 2u < OC) { storeDweight(q0 + 2u, c0, a2); }
  if (q0 + 3u < OC) { storeDweight(q0 + 3u, c0, a3); }
  if (c0 == 0u && P.hasBias != 0u) {
    if (q0 < OC) { dbias[q0] += bsum.x; }
    if (q0 + 1u < OC) { dbias[q0 + 1u] += bsum.y; }
    if (q0 + 2u < OC) { dbias[q0 + 2u] += bsum.z; }
    if (q0 + 3u < OC) { dbias[q0 + 3u] += bsum.w; }
  }
}
