// encoder.wgsl: token + position embedding, forward and backward (Backend.encoderForward / encoderBackward).
//
// Conventions shared by every shader of this folder:
//   binding 0      uniform Params (a 256-byte slot of the uniform ring, bound with a dynamic offset);
//                  u32 fields first, then f32 fields, 4 bytes each, in declaration order.
//   binding 1..k   storage buffers, ALL declared read_write: the backend binds views of one big buffer
//                  (params, grads, activations), and WebGPU forbids mixing read-only and writable usages of
//                  one buffer in a dispatch. Overlapping inputs are copied aside by the backend first.
//   1D launches:   workgroup_size(64); the grid may be split over x and y (65535 workgroups per dimension),
//                  so the flat id is gid.x + gid.y * num_workgroups.x * 64 and every kernel bounds-checks it.
//
// encoder_forward   out (N,C) f32, tokens (N) u32, wte (V,C), wpe (>=T,C); N = B*T.
//   One invocation per output element (N*C). A token id >= V writes NaN (the CPU backend throws there;
//   a GPU cannot, so it poisons the row to make the bad id visible downstream). hasWpe 0 (a rotary-position
//   model): out = wte's element alone, and wpe is a dummy binding.
// encoder_backward  dwte (V,C), dwpe (>=T,C), dout (N,C), tokens (N) u32.
//   No float atomics: invocations [0, V*C) own one (vocab row v, channel c) of dwte and scan all N tokens in
//   order, adding dout where tokens[n] == v; invocations [VCpad, VCpad + T*C) own one (t, c) of dwpe and sum
//   over b. VCpad = V*C rounded up to 64 so no workgroup mixes the two jobs. Accumulating in n order from
//   the old gradient value gives exactly the CPU reference's f32 sequence of += (bit-identical).
//   Cost O(V*C*N): fine for this project's small vocabulary (the scan replaces a sort by token).
//   Without a position table the host launches only the dwte job (V*C invocations) and binds a dummy dwpe.

struct Params {
  B: u32,
  T: u32,
  C: u32,
  V: u32,
  vcPad: u32, // V*C rounded up to a multiple of 64 (backward only)
  hasWpe: u32, // forward only: 1 adds wpe, 0 leaves it out
}

const WG: u32 = 64u;

@group(0) @binding(0) var<uniform> P: Params;

// encoder_forward bindings
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> tokens: array<u32>;
@group(0) @binding(3) var<storage, read_write> wte: array<f32>;
@group(0) @binding(4) var<storage, read_write> wpe: array<f32>;

// encoder_backward bindings (same slots, other meaning; no entry point uses both sets)
@group(0) @binding(1) var<storage, read_write> dwte: array<f32>;
@group(0) @binding(2) var<storage, read_write> btokens: array<u32>;
@group(0) @binding(3) var<storage, read_write> dwpe: array<f32>;
@group(0) @binding(4) var<storage, read_write> dout: array<f32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

// A quiet NaN built at run time (WGSL rejects NaN in constant expressions).
fn poison(x: u32) -> f32 {
  return bitcast<f32>(0x7fc00000u | (x & 0u));
}

@compute @workgroup_size(64)
fn encoder_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  let N = P.B * P.T;
  if (i >= N * P.C) {
    return;
  }
  let n = i / P.C;
  let c = i % P.C;
  let t = n % P.T;
  let tok = tokens[n];
  if (tok >= P.V) {
    out[i] = poison(tok);
    return;
  }
  if (P.hasWpe != 0u) {
    out[i] = wte[tok * P.C + c] + wpe[t * P.C + c];
  } else {
    out[i] = wte[tok * P.C + c];
  }
}

@compute @workgroup_size(64)
fn encoder_backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  let C = P.C;
  let N = P.B * P.T;
  if (i < P.V * C) {
    let v = i / C;
    let c = i % C;
    var acc = dwte[i];
    for (var n = 0u; n < N; n++) {
      if (btokens[n] == v) {
        acc += dout[n * C + c];
      }
    }
    dwte[i] = acc;
    return;
  }
  if (i < P.vcPad) {
    return;
  }
  let j = i - P.vcPad;
  if (j >= P.T * C) {
    return;
  }
  let t = j / C;
  let c = j % C;
  var acc = dwpe[j];
  for (var b = 0u; b < P.B; b++) {
    acc += dout[(b * P.T + t) * C + c];
  }
  dwpe[j] = acc;
}
