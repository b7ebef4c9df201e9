// matmul.wgsl: fully connected layer out = inp @ weight^T + bias, forward and backward (llm.c matmul_*).
// See encoder.wgsl for the conventions (Params layout, read_write bindings, flat 1D launches of 64).
//
// Register blocking instead of shared-memory tiles: on SwiftShader (a CPU) workgroup barriers cost more
// than they save, so each invocation computes an 8x8 block of outputs in 16 vec4 accumulators from scalar
// loads (each loaded element feeds 8 products). Measured on SwiftShader, (2048x64)@(64x192): 8x8 blocks
// 1.1 GFLOP/s, 4x4 0.55, one output per invocation 0.1; 16x8 gained <10% more. Everything is hand-unrolled
// with constant vector lanes: a dynamically indexed array or vector of accumulators is spilled to memory
// and runs 3-4x slower. Loads clamp their row/column to the last valid one and stores are masked, so
// shapes that are not multiples of 8 work without branches in the inner loops.
//
// matmul_forward   out (N,OC), inp (N,C), weight (OC,C), bias (OC) (a dummy when hasBias = 0)
//   One invocation per 8x8 block of out: ceil(N/8) * ceil(OC/8) invocations; block = rb * nOb + ob.
// matmul_backward  dinp (N,C), dweight (OC,C), dbias (OC) (dummy when hasBias = 0), dout (N,OC), inp, weight
//   One dispatch, two jobs (all outputs +=, each element owned by exactly one invocation, sums in a fixed
//   order, so the result is deterministic without atomics):
//   [0, nA)            8x8 blocks of dinp (rows n, channels c), summing over o: dinp += dout @ weight
//   [aPad, aPad + nB)  8x8 blocks of dweight (out channels o, channels c), summing over n in order:
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
  return (n + 7u) / 8u;
}

// Writes the valid lanes of v to out[row, col0 .. col0+3] (OC columns).
fn storeOut(row: u32, col0: u32, v: vec4f) {
  let OC = P.OC;
  let base = row * OC + col0;
  if (col0 < OC) { out[base] = v.x; }
  if (col0 + 1u < OC) { out[base + 1u] = v.y; }
  if (col0 + 2u < OC) { out[base + 2u] = v.z; }
  if (col0 + 3u < OC) { out[base + 3u] = v.w; }
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
  let r0 = (idx / nOb) * 8u;
  let o0 = (idx % nOb) * 8u;
  // Clamped row starts: out-of-range lanes recompute a valid row and are never stored.
  let x0 = min(r0, N - 1u) * C;
  let x1 = min(r0 + 1u, N - 1u) * C;
  let x2 = min(r0 + 2u, N - 1u) * C;
  let x3 = min(r0 + 3u, N - 1u) * C;
  let x4 = min(r0 + 4u, N - 1u) * C;
  let x5 = min(r0 + 5u, N - 1u) * C;
  let x6 = min(r0 + 6u, N - 1u) * C;
  let x7 = min(r0 + 7u, N - 1u) * C;
  let q0 = min(o0, OC - 1u);
  let q1 = min(o0 + 1u, OC - 1u);
  let q2 = min(o0 + 2u, OC - 1u);
  let q3 = min(o0 + 3u, OC - 1u);
  let q4 = min(o0 + 4u, OC - 1u);
  let q5 = min(o0 + 5u, OC - 1u);
  let q6 = min(o0 + 6u, OC - 1u);
  let q7 = min(o0 + 7u, OC - 1u);
  var il = vec4f(0.0);
  var ih = vec4f(0.0);
  if (P.hasBias != 0u) {
    il = vec4f(bias[q0], bias[q1], bias[q2], bias[q3]);
    ih = vec4f(bias[q4], bias[q5], bias[q6], bias[q7]);
  }
  var a0l = il; var a0h = ih; var a1l = il; var a1h = ih;
  var a2l = il; var a2h = ih; var a3l = il; var a3h = ih;
  var a4l = il; var a4h = ih; var a5l = il; var a5h = ih;
  var a6l = il; var a6h = ih; var a7l = il; var a7h = ih;
  let w0 = q0 * C; let w1 = q1 * C; let w2 = q2 * C; let w3 = q3 * C;
  let w4 = q4 * C; let w5 = q5 * C; let w6 = q6 * C; let w7 = q7 * C;
  for (var c = 0u; c < C; c++) {
    let lo = vec4f(weight[w0 + c], weight[w1 + c], weight[w2 + c], weight[w3 + c]);
    let hi = vec4f(weight[w4 + c], weight[w5 + c], weight[w6 + c], weight[w7 + c]);
    { let x = inp[x0 + c]; a0l += x * lo; a0h += x * hi; }
    { let x = inp[x1 + c]; a1l += x * lo; a1h += x * hi; }
    { let x = inp[x2 + c]; a2l += x * lo; a2h += x * hi; }
    { let x = inp[x3 + c]; a3l += x * lo; a3h += x * hi; }
    { let x = inp[x4 + c]; a4l += x * lo; a4h += x * hi; }
    { let x = inp[x5 + c]; a5l += x * lo; a5h += x * hi; }
    { let x = inp[x6 + c]; a6l += x * lo; a6h += x * hi; }
    { let x = inp[x7 + c]; a7l += x * lo; a7h += x * hi; }
  }
  if (r0 < N) { storeOut(r0, o0, a0l); storeOut(r0, o0 + 4u, a0h); }
  if (r0 + 1u < N) { storeOut(r0 + 1u, o0, a1l); storeOut(r0 + 1u, o0 + 4u, a1h); }
  if (r0 + 2u < N) { storeOut(r0 + 2u, o0, a2l); storeOut(r0 + 2u, o0 + 4u, a2h); }
  if (r0 + 3u < N) { storeOut(r0 + 3u, o0, a3l); storeOut(r0 + 3u, o0 + 4u, a3h); }
  if (r0 + 4u < N) { storeOut(r0 + 4u, o0, a4l); storeOut(r0 + 4u, o0 + 4u, a4h); }
  if (r0 + 5u < N) { storeOut(r0 + 5u, o0, a5l); storeOut(r0 + 5u, o0 + 4u, a5h); }
  if (r0 + 6u < N) { storeOut(r0 + 6u, o0, a6l); storeOut(r0 + 6u, o0 + 4u, a6h); }
  if (r0 + 7u < N) { storeOut(r0 + 7u, o0, a7l); storeOut(r0 + 7u, o0 + 4u, a7h); }
}

// dinp / dweight rows as vec4 quads at column c0 (clamped reads; masked writes).
fn loadDinp(row: u32, c0: u32) -> vec4f {
  let C = P.C;
  let b = min(row, P.N - 1u) * C;
  return vec4f(dinp[b + min(c0, C - 1u)], dinp[b + min(c0 + 1u, C - 1u)], dinp[b + min(c0 + 2u, C - 1u)], dinp[b + min(c0 + 3u, C - 1u)]);
}

fn storeDinp(row: u32, c0: u32, v: vec4f) {
  let C = P.C;
  if (row >= P.N) { return; }
  let b = row * C + c0;
  if (c0 < C) { dinp[b] = v.x; }
  if (c0 + 1u < C) { dinp[b + 1u] = v.y; }
  if (c0 + 2u < C) { dinp[b + 2u] = v.z; }
  if (c0 + 3u < C) { dinp[b + 3u] = v.w; }
}

fn loadDweight(row: u32, c0: u32) -> vec4f {
  let C = P.C;
  let b = min(row, P.OC - 1u) * C;
  return vec4f(dweight[b + min(c0, C - 1u)], dweight[b + min(c0 + 1u, C - 1u)], dweight[b + min(c0 + 2u, C - 1u)], dweight[b + min(c0 + 3u, C - 1u)]);
}

fn storeDweight(row: u32, c0: u32, v: vec4f) {
  let C = P.C;
  if (row >= P.OC) { return; }
  let b = row * C + c0;
  if (c0 < C) { dweight[b] = v.x; }
  if (c0 + 1u < C) { dweight[b + 1u] = v.y; }
  if (c0 + 2u < C) { dweight[b + 2u] = v.z; }
  if (c0 + 3u < C) { dweight[b + 3u] = v.w; }
}

fn addDbias(o: u32, v: f32) {
  if (o < P.OC) { dbias[o] += v; }
}

@compute @workgroup_size(64)
fn matmul_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = flatIndex(gid, nwg);
  let N = P.N;
  let C = P.C;
  let OC = P.OC;
  let nCb = blocks(C);
  let nA = blocks(N) * nCb;
  var c0 = 0u;
  if (idx < nA) {
    c0 = (idx % nCb) * 8u;
  } else if (idx >= P.aPad && idx - P.aPad < blocks(OC) * nCb) {
    c0 = ((idx - P.aPad) % nCb) * 8u;
  } else {
    return;
  }
  // The 8 (clamped) channel columns of this block, shared by both jobs.
  let k0 = min(c0, C - 1u); let k1 = min(c0 + 1u, C - 1u); let k2 = min(c0 + 2u, C - 1u); let k3 = min(c0 + 3u, C - 1u);
  let k4 = min(c0 + 4u, C - 1u); let k5 = min(c0 + 5u, C - 1u); let k6 = min(c0 + 6u, C - 1u); let k7 = min(c0 + 7u, C - 1u);
  if (idx < nA) {
    // dinp block: rows r0..r0+7, channels c0..c0+7, sum over o.
    let r0 = (idx / nCb) * 8u;
    let d0 = min(r0, N - 1u) * OC; let d1 = min(r0 + 1u, N - 1u) * OC;
    let d2 = min(r0 + 2u, N - 1u) * OC; let d3 = min(r0 + 3u, N - 1u) * OC;
    let d4 = min(r0 + 4u, N - 1u) * OC; let d5 = min(r0 + 5u, N - 1u) * OC;
    let d6 = min(r0 + 6u, N - 1u) * OC; let d7 = min(r0 + 7u, N - 1u) * OC;
    var a0l = loadDinp(r0, c0); var a0h = loadDinp(r0, c0 + 4u);
    var a1l = loadDinp(r0 + 1u, c0); var a1h = loadDinp(r0 + 1u, c0 + 4u);
    var a2l = loadDinp(r0 + 2u, c0); var a2h = loadDinp(r0 + 2u, c0 + 4u);
    var a3l = loadDinp(r0 + 3u, c0); var a3h = loadDinp(r0 + 3u, c0 + 4u);
    var a4l = loadDinp(r0 + 4u, c0); var a4h = loadDinp(r0 + 4u, c0 + 4u);
    var a5l = loadDinp(r0 + 5u, c0); var a5h = loadDinp(r0 + 5u, c0 + 4u);
    var a6l = loadDinp(r0 + 6u, c0); var a6h = loadDinp(r0 + 6u, c0 + 4u);
    var a7l = loadDinp(r0 + 7u, c0); var a7h = loadDinp(r0 + 7u, c0 + 4u);
    for (var o = 0u; o < OC; o++) {
      let w = o * C;
      let lo = vec4f(bweight[w + k0], bweight[w + k1], bweight[w + k2], bweight[w + k3]);
      let hi = vec4f(bweight[w + k4], bweight[w + k5], bweight[w + k6], bweight[w + k7]);
      { let d = dout[d0 + o]; a0l += d * lo; a0h += d * hi; }
      { let d = dout[d1 + o]; a1l += d * lo; a1h += d * hi; }
      { let d = dout[d2 + o]; a2l += d * lo; a2h += d * hi; }
      { let d = dout[d3 + o]; a3l += d * lo; a3h += d * hi; }
      { let d = dout[d4 + o]; a4l += d * lo; a4h += d * hi; }
      { let d = dout[d5 + o]; a5l += d * lo; a5h += d * hi; }
      { let d = dout[d6 + o]; a6l += d * lo; a6h += d * hi; }
      { let d = dout[d7 + o]; a7l += d * lo; a7h += d * hi; }
    }
    storeDinp(r0, c0, a0l); storeDinp(r0, c0 + 4u, a0h);
    storeDinp(r0 + 1u, c0, a1l); storeDinp(r0 + 1u, c0 + 4u, a1h);
    storeDinp(r0 + 2u, c0, a2l); storeDinp(r0 + 2u, c0 + 4u, a2h);
    storeDinp(r0 + 3u, c0, a3l); storeDinp(r0 + 3u, c0 + 4u, a3h);
    storeDinp(r0 + 4u, c0, a4l); storeDinp(r0 + 4u, c0 + 4u, a4h);
    storeDinp(r0 + 5u, c0, a5l); storeDinp(r0 + 5u, c0 + 4u, a5h);
    storeDinp(r0 + 6u, c0, a6l); storeDinp(r0 + 6u, c0 + 4u, a6h);
    storeDinp(r0 + 7u, c0, a7l); storeDinp(r0 + 7u, c0 + 4u, a7h);
    return;
  }
  // dweight block: out channels q0..q0+7, channels c0..c0+7, sum over n in order.
  let q0 = ((idx - P.aPad) / nCb) * 8u;
  let o0 = min(q0, OC - 1u); let o1 = min(q0 + 1u, OC - 1u); let o2 = min(q0 + 2u, OC - 1u); let o3 = min(q0 + 3u, OC - 1u);
  let o4 = min(q0 + 4u, OC - 1u); let o5 = min(q0 + 5u, OC - 1u); let o6 = min(q0 + 6u, OC - 1u); let o7 = min(q0 + 7u, OC - 1u);
  var a0l = loadDweight(q0, c0); var a0h = loadDweight(q0, c0 + 4u);
  var a1l = loadDweight(q0 + 1u, c0); var a1h = loadDweight(q0 + 1u, c0 + 4u);
  var a2l = loadDweight(q0 + 2u, c0); var a2h = loadDweight(q0 + 2u, c0 + 4u);
  var a3l = loadDweight(q0 + 3u, c0); var a3h = loadDweight(q0 + 3u, c0 + 4u);
  var a4l = loadDweight(q0 + 4u, c0); var a4h = loadDweight(q0 + 4u, c0 + 4u);
  var a5l = loadDweight(q0 + 5u, c0); var a5h = loadDweight(q0 + 5u, c0 + 4u);
  var a6l = loadDweight(q0 + 6u, c0); var a6h = loadDweight(q0 + 6u, c0 + 4u);
  var a7l = loadDweight(q0 + 7u, c0); var a7h = loadDweight(q0 + 7u, c0 + 4u);
  var bl = vec4f(0.0);
  var bh = vec4f(0.0);
  for (var n = 0u; n < N; n++) {
    let dr = n * OC;
    let ir = n * C;
    let dl = vec4f(dout[dr + o0], dout[dr + o1], dout[dr + o2], dout[dr + o3]);
    let dh = vec4f(dout[dr + o4], dout[dr + o5], dout[dr + o6], dout[dr + o7]);
    let xl = vec4f(binp[ir + k0], binp[ir + k1], binp[ir + k2], binp[ir + k3]);
    let xh = vec4f(binp[ir + k4], binp[ir + k5], binp[ir + k6], binp[ir + k7]);
    a0l += dl.x * xl; a0h += dl.x * xh; a1l += dl.y * xl; a1h += dl.y * xh;
    a2l += dl.z * xl; a2h += dl.z * xh; a3l += dl.w * xl; a3h += dl.w * xh;
    a4l += dh.x * xl; a4h += dh.x * xh; a5l += dh.y * xl; a5h += dh.y * xh;
    a6l += dh.z * xl; a6h += dh.z * xh; a7l += dh.w * xl; a7h += dh.w * xh;
    bl += dl;
    bh += dh;
  }
  storeDweight(q0, c0, a0l); storeDweight(q0, c0 + 4u, a0h);
  storeDweight(q0 + 1u, c0, a1l); storeDweight(q0 + 1u, c0 + 4u, a1h);
  storeDweight(q0 + 2u, c0, a2l); storeDweight(q0 + 2u, c0 + 4u, a2h);
  storeDweight(q0 + 3u, c0, a3l); storeDweight(q0 + 3u, c0 + 4u, a3h);
  storeDweight(q0 + 4u, c0, a4l); storeDweight(q0 + 4u, c0 + 4u, a4h);
  storeDweight(q0 + 5u, c0, a5l); storeDweight(q0 + 5u, c0 + 4u, a5h);
  storeDweight(q0 + 6u, c0, a6l); storeDweight(q0 + 6u, c0 + 4u, a6h);
  storeDweight(q0 + 7u, c0, a7l); storeDweight(q0 + 7u, c0 + 4u, a7h);
  if (c0 == 0u && P.hasBias != 0u) {
    addDbias(q0, bl.x); addDbias(q0 + 1u, bl.y); addDbias(q0 + 2u, bl.z); addDbias(q0 + 3u, bl.w);
    addDbias(q0 + 4u, bh.x); addDbias(q0 + 5u, bh.y); addDbias(q0 + 6u, bh.z); addDbias(q0 + 7u, bh.w);
  }
}
