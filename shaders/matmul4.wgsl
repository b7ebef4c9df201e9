// matmul4.wgsl: matmul.wgsl's kernels with vec4 loads along rows, for C % 4 == 0 (forward) and
// C % 4 == 0 && OC % 4 == 0 (backward); the host falls back to matmul.wgsl otherwise. Same bindings, block
// numbering, two-job layout and summation order (each output sums its terms in the same index order as
// matmul.wgsl), so the results match the scalar kernels' arithmetic.
//
// Why: SwiftShader runs 4 invocations per SIMD group and keeps each vec4 component in its own register, so
// the scalar kernels' 8x8 block paid 16 bounds-checked scalar gathers per 64 FMAs; here a block reads
// 16 vec4s per 256 FMAs (forward: 8 input rows and 8 weight rows, 4 channels each) and the components
// are picked from registers for free.
//
// matmul_forward4   out (N,OC), inp (N,C) as vec4, weight (OC,C) as vec4, bias (OC) (dummy if hasBias = 0)
// matmul_backward4  dinp (N,C) vec4, dweight (OC,C) vec4, dbias (OC), dout (N,OC) vec4, inp vec4, weight vec4

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
@group(0) @binding(2) var<storage, read_write> inp: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> weight: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> bias: array<f32>;

// backward
@group(0) @binding(1) var<storage, read_write> dinp: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dweight: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> dbias: array<f32>;
@group(0) @binding(4) var<storage, read_write> dout: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> binp: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> bweight: array<vec4f>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

fn blocks(n: u32) -> u32 {
  return (n + 7u) / 8u;
}

fn storeOut(row: u32, col0: u32, v: vec4f) {
  let OC = P.OC;
  let base = row * OC + col0;
  if (col0 < OC) { out[base] = v.x; }
  if (col0 + 1u < OC) { out[base + 1u] = v.y; }
  if (col0 + 2u < OC) { out[base + 2u] = v.z; }
  if (col0 + 3u < OC) { out[base + 3u] = v.w; }
}

// acc_lo/hi (8 output channels of one row) += x (4 input channels) against w0..w7 (8 weight rows).
fn fma8(acc: ptr<function, array<vec4f, 2>>, x: vec4f, w0: vec4f, w1: vec4f, w2: vec4f, w3: vec4f, w4: vec4f, w5: vec4f, w6: vec4f, w7: vec4f) {
  var lo = (*acc)[0];
  var hi = (*acc)[1];
  lo += x.x * vec4f(w0.x, w1.x, w2.x, w3.x); hi += x.x * vec4f(w4.x, w5.x, w6.x, w7.x);
  lo += x.y * vec4f(w0.y, w1.y, w2.y, w3.y); hi += x.y * vec4f(w4.y, w5.y, w6.y, w7.y);
  lo += x.z * vec4f(w0.z, w1.z, w2.z, w3.z); hi += x.z * vec4f(w4.z, w5.z, w6.z, w7.z);
  lo += x.w * vec4f(w0.w, w1.w, w2.w, w3.w); hi += x.w * vec4f(w4.w, w5.w, w6.w, w7.w);
  (*acc)[0] = lo;
  (*acc)[1] = hi;
}

@compute @workgroup_size(64)
fn matmul_forward4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = flatIndex(gid, nwg);
  let N = P.N;
  let OC = P.OC;
  let C4 = P.C / 4u;
  let nOb = blocks(OC);
  if (idx >= blocks(N) * nOb) {
    return;
  }
  let r0 = (idx / nOb) * 8u;
  let o0 = (idx % nOb) * 8u;
  let x0 = min(r0, N - 1u) * C4; let x1 = min(r0 + 1u, N - 1u) * C4;
  let x2 = min(r0 + 2u, N - 1u) * C4; let x3 = min(r0 + 3u, N - 1u) * C4;
  let x4 = min(r0 + 4u, N - 1u) * C4; let x5 = min(r0 + 5u, N - 1u) * C4;
  let x6 = min(r0 + 6u, N - 1u) * C4; let x7 = min(r0 + 7u, N - 1u) * C4;
  let q0 = min(o0, OC - 1u); let q1 = min(o0 + 1u, OC - 1u); let q2 = min(o0 + 2u, OC - 1u); let q3 = min(o0 + 3u, OC - 1u);
  let q4 = min(o0 + 4u, OC - 1u); let q5 = min(o0 + 5u, OC - 1u); let q6 = min(o0 + 6u, OC - 1u); let q7 = min(o0 + 7u, OC - 1u);
  var init = array<vec4f, 2>(vec4f(0.0), vec4f(0.0));
  if (P.hasBias != 0u) {
    init = array<vec4f, 2>(vec4f(bias[q0], bias[q1], bias[q2], bias[q3]), vec4f(bias[q4], bias[q5], bias[q6], bias[q7]));
  }
  var a0 = init; var a1 = init; var a2 = init; var a3 = init;
  var a4 = init; var a5 = init; var a6 = init; var a7 = init;
  let w0 = q0 * C4; let w1 = q1 * C4; let w2 = q2 * C4; let w3 = q3 * C4;
  let w4 = q4 * C4; let w5 = q5 * C4; let w6 = q6 * C4; let w7 = q7 * C4;
  for (var c = 0u; c < C4; c++) {
    let k0 = weight[w0 + c]; let k1 = weight[w1 + c]; let k2 = weight[w2 + c]; let k3 = weight[w3 + c];
    let k4 = weight[w4 + c]; let k5 = weight[w5 + c]; let k6 = weight[w6 + c]; let k7 = weight[w7 + c];
    fma8(&a0, inp[x0 + c], k0, k1, k2, k3, k4, k5, k6, k7);
    fma8(&a1, inp[x1 + c], k0, k1, k2, k3, k4, k5, k6, k7);
    fma8(&a2, inp[x2 + c], k0, k1, k2, k3, k4, k5, k6, k7);
    fma8(&a3, inp[x3 + c], k0, k1, k2, k3, k4, k5, k6, k7);
    fma8(&a4, inp[x4 + c], k0, k1, k2, k3, k4, k5, k6, k7);
    fma8(&a5, inp[x5 + c], k0, k1, k2, k3, k4, k5, k6, k7);
    fma8(&a6, inp[x6 + c], k0, k1, k2, k3, k4, k5, k6, k7);
    fma8(&a7, inp[x7 + c], k0, k1, k2, k3, k4, k5, k6, k7);
  }
  if (r0 < N) { storeOut(r0, o0, a0[0]); storeOut(r0, o0 + 4u, a0[1]); }
  if (r0 + 1u < N) { storeOut(r0 + 1u, o0, a1[0]); storeOut(r0 + 1u, o0 + 4u, a1[1]); }
  if (r0 + 2u < N) { storeOut(r0 + 2u, o0, a2[0]); storeOut(r0 + 2u, o0 + 4u, a2[1]); }
  if (r0 + 3u < N) { storeOut(r0 + 3u, o0, a3[0]); storeOut(r0 + 3u, o0 + 4u, a3[1]); }
  if (r0 + 4u < N) { storeOut(r0 + 4u, o0, a4[0]); storeOut(r0 + 4u, o0 + 4u, a4[1]); }
  if (r0 + 5u < N) { storeOut(r0 + 5u, o0, a5[0]); storeOut(r0 + 5u, o0 + 4u, a5[1]); }
  if (r0 + 6u < N) { storeOut(r0 + 6u, o0, a6[0]); storeOut(r0 + 6u, o0 + 4u, a6[1]); }
  if (r0 + 7u < N) { storeOut(r0 + 7u, o0, a7[0]); storeOut(r0 + 7u, o0 + 4u, a7[1]); }
}

// dinp / dweight as vec4 rows: clamped loads, masked stores (rows past the end, a high quad past C).
fn loadDinp4(row: u32, q: u32) -> vec4f {
  let C4 = P.C / 4u;
  return dinp[min(row, P.N - 1u) * C4 + min(q, C4 - 1u)];
}

fn storeDinp4(row: u32, q: u32, v: vec4f) {
  let C4 = P.C / 4u;
  if (row < P.N && q < C4) { dinp[row * C4 + q] = v; }
}

fn loadDweight4(row: u32, q: u32) -> vec4f {
  let C4 = P.C / 4u;
  return dweight[min(row, P.OC - 1u) * C4 + min(q, C4 - 1u)];
}

fn storeDweight4(row: u32, q: u32, v: vec4f) {
  let C4 = P.C / 4u;
  if (row < P.OC && q < C4) { dweight[row * C4 + q] = v; }
}

fn addDbias(o: u32, v: f32) {
  if (o < P.OC) { dbias[o] += v; }
}

// Two jobs in one dispatch, as matmul_backward: [0, nA) 8x8 blocks of dinp (sum over o in order),
// [aPad, aPad + nB) 8x8 blocks of dweight (sum over n in order; c-block 0 also sums dbias).
@compute @workgroup_size(64)
fn matmul_backward4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = flatIndex(gid, nwg);
  let N = P.N;
  let OC = P.OC;
  let C4 = P.C / 4u;
  let OC4 = OC / 4u;
  let nCb = blocks(P.C);
  let nA = blocks(N) * nCb;
  var cb = 0u;
  if (idx < nA) {
    cb = idx % nCb;
  } else if (idx >= P.aPad && idx - P.aPad < blocks(OC) * nCb) {
    cb = (idx - P.aPad) % nCb;
  } else {
    return;
  }
  let ql = 2u * cb; // the block's two channel quads
  let qh = ql + 1u;
  let kl = min(ql, C4 - 1u);
  let kh = min(qh, C4 - 1u);
  if (idx < nA) {
    let r0 = (idx / nCb) * 8u;
    let d0 = min(r0, N - 1u) * OC4; let d1 = min(r0 + 1u, N - 1u) * OC4;
    let d2 = min(r0 + 2u, N - 1u) * OC4; let d3 = min(r0 + 3u, N - 1u) * OC4;
    let d4 = min(r0 + 4u, N - 1u) * OC4; let d5 = min(r0 + 5u, N - 1u) * OC4;
    let d6 = min(r0 + 6u, N - 1u) * OC4; let d7 = min(r0 + 7u, N - 1u) * OC4;
    var a0l = loadDinp4(r0, ql); var a0h = loadDinp4(r0, qh);
    var a1l = loadDinp4(r0 + 1u, ql); var a1h = loadDinp4(r0 + 1u, qh);
    var a2l = loadDinp4(r0 + 2u, ql); var a2h = loadDinp4(r0 + 2u, qh);
    var a3l = loadDinp4(r0 + 3u, ql); var a3h = loadDinp4(r0 + 3u, qh);
    var a4l = loadDinp4(r0 + 4u, ql); var a4h = loadDinp4(r0 + 4u, qh);
    var a5l = loadDinp4(r0 + 5u, ql); var a5h = loadDinp4(r0 + 5u, qh);
    var a6l = loadDinp4(r0 + 6u, ql); var a6h = loadDinp4(r0 + 6u, qh);
    var a7l = loadDinp4(r0 + 7u, ql); var a7h = loadDinp4(r0 + 7u, qh);
    for (var o4 = 0u; o4 < OC4; o4++) {
      let w = o4 * 4u * C4;
      let wl0 = bweight[w + kl]; let wh0 = bweight[w + kh];
      let wl1 = bweight[w + C4 + kl]; let wh1 = bweight[w + C4 + kh];
      let wl2 = bweight[w + 2u * C4 + kl]; let wh2 = bweight[w + 2u * C4 + kh];
      let wl3 = bweight[w + 3u * C4 + kl]; let wh3 = bweight[w + 3u * C4 + kh];
      { let d = dout[d0 + o4]; a0l += d.x * wl0; a0h += d.x * wh0; a0l += d.y * wl1; a0h += d.y * wh1; a0l += d.z * wl2; a0h += d.z * wh2; a0l += d.w * wl3; a0h += d.w * wh3; }
      { let d = dout[d1 + o4]; a1l += d.x * wl0; a1h += d.x * wh0; a1l += d.y * wl1; a1h += d.y * wh1; a1l += d.z * wl2; a1h += d.z * wh2; a1l += d.w * wl3; a1h += d.w * wh3; }
      { let d = dout[d2 + o4]; a2l += d.x * wl0; a2h += d.x * wh0; a2l += d.y * wl1; a2h += d.y * wh1; a2l += d.z * wl2; a2h += d.z * wh2; a2l += d.w * wl3; a2h += d.w * wh3; }
      { let d = dout[d3 + o4]; a3l += d.x * wl0; a3h += d.x * wh0; a3l += d.y * wl1; a3h += d.y * wh1; a3l += d.z * wl2; a3h += d.z * wh2; a3l += d.w * wl3; a3h += d.w * wh3; }
      { let d = dout[d4 + o4]; a4l += d.x * wl0; a4h += d.x * wh0; a4l += d.y * wl1; a4h += d.y * wh1; a4l += d.z * wl2; a4h += d.z * wh2; a4l += d.w * wl3; a4h += d.w * wh3; }
      { let d = dout[d5 + o4]; a5l += d.x * wl0; a5h += d.x * wh0; a5l += d.y * wl1; a5h += d.y * wh1; a5l += d.z * wl2; a5h += d.z * wh2; a5l += d.w * wl3; a5h += d.w * wh3; }
      { let d = dout[d6 + o4]; a6l += d.x * wl0; a6h += d.x * wh0; a6l += d.y * wl1; a6h += d.y * wh1; a6l += d.z * wl2; a6h += d.z * wh2; a6l += d.w * wl3; a6h += d.w * wh3; }
      { let d = dout[d7 + o4]; a7l += d.x * wl0; a7h += d.x * wh0; a7l += d.y * wl1; a7h += d.y * wh1; a7l += d.z * wl2; a7h += d.z * wh2; a7l += d.w * wl3; a7h += d.w * wh3; }
    }
    storeDinp4(r0, ql, a0l); storeDinp4(r0, qh, a0h);
    storeDinp4(r0 + 1u, ql, a1l); storeDinp4(r0 + 1u, qh, a1h);
    storeDinp4(r0 + 2u, ql, a2l); storeDinp4(r0 + 2u, qh, a2h);
    storeDinp4(r0 + 3u, ql, a3l); storeDinp4(r0 + 3u, qh, a3h);
    storeDinp4(r0 + 4u, ql, a4l); storeDinp4(r0 + 4u, qh, a4h);
    storeDinp4(r0 + 5u, ql, a5l); storeDinp4(r0 + 5u, qh, a5h);
    storeDinp4(r0 + 6u, ql, a6l); storeDinp4(r0 + 6u, qh, a6h);
    storeDinp4(r0 + 7u, ql, a7l); storeDinp4(r0 + 7u, qh, a7h);
    return;
  }
  let q0 = ((idx - P.aPad) / nCb) * 8u; // out channels q0 .. q0+7 = dout quads ob, ob+1
  let ob = q0 / 4u;
  let obl = min(ob, OC4 - 1u);
  let obh = min(ob + 1u, OC4 - 1u);
  var a0l = loadDweight4(q0, ql); var a0h = loadDweight4(q0, qh);
  var a1l = loadDweight4(q0 + 1u, ql); var a1h = loadDweight4(q0 + 1u, qh);
  var a2l = loadDweight4(q0 + 2u, ql); var a2h = loadDweight4(q0 + 2u, qh);
  var a3l = loadDweight4(q0 + 3u, ql); var a3h = loadDweight4(q0 + 3u, qh);
  var a4l = loadDweight4(q0 + 4u, ql); var a4h = loadDweight4(q0 + 4u, qh);
  var a5l = loadDweight4(q0 + 5u, ql); var a5h = loadDweight4(q0 + 5u, qh);
  var a6l = loadDweight4(q0 + 6u, ql); var a6h = loadDweight4(q0 + 6u, qh);
  var a7l = loadDweight4(q0 + 7u, ql); var a7h = loadDweight4(q0 + 7u, qh);
  var bl = vec4f(0.0);
  var bh = vec4f(0.0);
  for (var n = 0u; n < N; n++) {
    let dl = dout[n * OC4 + obl];
    let dh = dout[n * OC4 + obh];
    let xl = binp[n * C4 + kl];
    let xh = binp[n * C4 + kh];
    a0l += dl.x * xl; a0h += dl.x * xh; a1l += dl.y * xl; a1h += dl.y * xh;
    a2l += dl.z * xl; a2h += dl.z * xh; a3l += dl.w * xl; a3h += dl.w * xh;
    a4l += dh.x * xl; a4h += dh.x * xh; a5l += dh.y * xl; a5h += dh.y * xh;
    a6l += dh.z * xl; a6h += dh.z * xh; a7l += dh.w * xl; a7h += dh.w * xh;
    bl += dl;
    bh += dh;
  }
  storeDweight4(q0, ql, a0l); storeDweight4(q0, qh, a0h);
  storeDweight4(q0 + 1u, ql, a1l); storeDweight4(q0 + 1u, qh, a1h);
  storeDweight4(q0 + 2u, ql, a2l); storeDweight4(q0 + 2u, qh, a2h);
  storeDweight4(q0 + 3u, ql, a3l); storeDweight4(q0 + 3u, qh, a3h);
  storeDweight4(q0 + 4u, ql, a4l); storeDweight4(q0 + 4u, qh, a4h);
  storeDweight4(q0 + 5u, ql, a5l); storeDweight4(q0 + 5u, qh, a5h);
  storeDweight4(q0 + 6u, ql, a6l); storeDweight4(q0 + 6u, qh, a6h);
  storeDweight4(q0 + 7u, ql, a7l); storeDweight4(q0 + 7u, qh, a7h);
  if (cb == 0u && P.hasBias != 0u) {
    addDbias(q0, bl.x); addDbias(q0 + 1u, bl.y); addDbias(q0 + 2u, bl.z); addDbias(q0 + 3u, bl.w);
    addDbias(q0 + 4u, bh.x); addDbias(q0 + 5u, bh.y); addDbias(q0 + 6u, bh.z); addDbias(q0 + 7u, bh.w);
  }
}
