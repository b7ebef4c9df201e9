// elementwise.wgsl: GELU (tanh approximation, forward and backward), residual add and gradient accumulate.
// See encoder.wgsl for the conventions (Params layout, read_write bindings, flat 1D launches of 64).
// One invocation per element, N elements (flat id, bounds-checked). Slots by entry point:
//   gelu_forward      s1 = out,  s2 = inp                 out = 0.5 x (1 + tanh(k (x + 0.044715 x^3)))
//   gelu_backward     s1 = dinp, s2 = inp,  s3 = dout     dinp += gelu'(x) * dout (sech^2 = 1/cosh^2, llm.c)
//   residual_forward  s1 = out,  s2 = a,    s3 = b        out = a + b
//   accumulate        s1 = dst,  s2 = src                 dst += src
// The tanh argument is clamped to +-15: tanh is exactly +-1 in f32 there, and an unclamped tanh/cosh may be
// evaluated through exp() and overflow to inf/inf = NaN for large inputs on some drivers.

struct Params {
  N: u32,
}

const WG: u32 = 64u;
const GELU_K: f32 = 0.7978845608028654; // sqrt(2/pi)
const GELU_CUBIC: f32 = 0.044715;
const TANH_CLAMP: f32 = 15.0;

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read_write> s1: array<f32>;
@group(0) @binding(2) var<storage, read_write> s2: array<f32>;
@group(0) @binding(3) var<storage, read_write> s3: array<f32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

@compute @workgroup_size(64)
fn gelu_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= P.N) {
    return;
  }
  let x = s2[i];
  let cube = GELU_CUBIC * x * x * x;
  let u = clamp(GELU_K * (x + cube), -TANH_CLAMP, TANH_CLAMP);
  s1[i] = 0.5 * x * (1.0 + tanh(u));
}

@compute @workgroup_size(64)
fn gelu_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= P.N) {
    return;
  }
  let x = s2[i];
  let cube = GELU_CUBIC * x * x * x;
  let u = clamp(GELU_K * (x + cube), -TANH_CLAMP, TANH_CLAMP);
  let th = tanh(u);
  let ch = cosh(u);
  let sech2 = 1.0 / (ch * ch);
  let localGrad = 0.5 * (1.0 + th) + x * 0.5 * sech2 * GELU_K * (1.0 + 3.0 * GELU_CUBIC * x * x);
  s1[i] += localGrad * s3[i];
}

@compute @workgroup_size(64)
fn residual_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= P.N) {
    return;
  }
  s1[i] = s2[i] + s3[i];
}

@compute @workgroup_size(64)
fn accumulate(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= P.N) {
    return;
  }
  s1[i] += s2[i];
}
