// sample.wgsl: on-device choice of the next token (Backend.sampleNext) and a test hook for the RNG.
// See encoder.wgsl for the conventions (Params layout, read_write bindings, flat 1D launches of 64).
// The RNG mirrors src/backend/rng.ts exactly in u32 arithmetic (WGSL u32 multiply wraps like Math.imul):
//   hash32 = lowbias32, hash4 = a chain of hash32 over (seed ^ 0x9e3779b9, step, row, pos),
//   u = (f32(h >> 8) + 0.5) / 2^24, i.e. Math.fround(rngUniform(...)) (the +0.5 rounds to even in f32 for
//   h >> 8 >= 2^23; the host computes the same value in f64, then rounds once).
//
// sample_next  tokens (B,Tseq) u32 (read_write), logps (B,Tseq), logits (B,V), promptLen (B) u32
//   One invocation per row b (B). The host skips the dispatch when pos+1 >= Tseq. Per row, as the CPU twin:
//   pos+1 < promptLen[b]: logps = 0 (prompt token kept); tokens[b,pos] EOS/PAD (pos >= promptLen[b]):
//   PAD and 0; else inverse-CDF sampling of softmax(logits/temperature) over the top-k in INDEX order
//   (top-k by logit, ties to the lower index, found by k passes of "best below the previous rank", O(kV)),
//   first token whose cumulative kept mass exceeds u * keptSum; logps = log-prob under the full tempered
//   softmax (no top-k renormalisation).
// rng_uniform  out (2*count) u32: out[2i] = hash4(seed, step, rowOffset + i, pos), out[2i+1] = bits of u.
//   Not a Backend op: the parity tests compare it with rng.ts.

struct Params {
  B: u32,
  V: u32,
  Tseq: u32,
  pos: u32,
  topK: u32,
  seed: u32,
  step: u32,
  rowOffset: u32,
  count: u32, // rng_uniform only
  invTemperature: f32,
}

const WG: u32 = 64u;
const PAD_ID: u32 = 0u;
const EOS_ID: u32 = 2u;

@group(0) @binding(0) var<uniform> P: Params;

// sample_next
@group(0) @binding(1) var<storage, read_write> tokens: array<u32>;
@group(0) @binding(2) var<storage, read_write> logps: array<f32>;
@group(0) @binding(3) var<storage, read_write> logits: array<f32>;
@group(0) @binding(4) var<storage, read_write> promptLen: array<u32>;

// rng_uniform
@group(0) @binding(1) var<storage, read_write> rngOut: array<u32>;

fn flatIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

fn hash32(x0: u32) -> u32 {
  var x = x0;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

fn hash4(a: u32, b: u32, c: u32, d: u32) -> u32 {
  var h = hash32(a ^ 0x9e3779b9u);
  h = hash32(h ^ b);
  h = hash32(h ^ c);
  h = hash32(h ^ d);
  return h;
}

fn uniformFromHash(h: u32) -> f32 {
  return (f32(h >> 8u) + 0.5) / 16777216.0;
}

struct Cut {
  logit: f32,
  index: u32,
  keepAll: bool,
}

// The k-th best (logit, index) of row `off`, ranking by logit descending, ties to the lower index.
fn topKCut(off: u32) -> Cut {
  let V = P.V;
  let k = P.topK;
  if (k == 0u || k >= V) {
    return Cut(0.0, V - 1u, true);
  }
  var prevLogit = 0.0;
  var prevIndex = 0u;
  for (var rank = 0u; rank < k; rank++) {
    var found = false;
    var bestLogit = 0.0;
    var bestIndex = 0u;
    for (var v = 0u; v < V; v++) {
      let x = logits[off + v];
      let belowPrev = rank == 0u || x < prevLogit || (x == prevLogit && v > prevIndex);
      if (belowPrev && (!found || x > bestLogit)) {
        found = true;
        bestLogit = x;
        bestIndex = v;
      }
    }
    if (!found) {
      return Cut(0.0, V - 1u, true); // fewer than k comparable logits (NaNs): keep all, like the CPU
    }
    prevLogit = bestLogit;
    prevIndex = bestIndex;
  }
  return Cut(prevLogit, prevIndex, false);
}

fn kept(c: Cut, x: f32, v: u32) -> bool {
  return c.keepAll || x > c.logit || (x == c.logit && v <= c.index);
}

@compute @workgroup_size(64)
fn sample_next(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let b = flatIndex(gid, nwg);
  if (b >= P.B) {
    return;
  }
  let next = P.pos + 1u;
  let at = b * P.Tseq + next;
  if (next < promptLen[b]) {
    logps[at] = 0.0;
    return;
  }
  // An EOS or PAD inside the prompt (the prompt's last token at pos) does not finish the row.
  let prev = tokens[b * P.Tseq + P.pos];
  if (P.pos >= promptLen[b] && (prev == EOS_ID || prev == PAD_ID)) {
    tokens[at] = PAD_ID;
    logps[at] = 0.0;
    return;
  }
  let V = P.V;
  let off = b * V;
  var mx = logits[off];
  for (var v = 1u; v < V; v++) {
    mx = max(mx, logits[off + v]);
  }
  let cut = topKCut(off);
  // Shifted by the max before scaling, so every exponent is <= 0 whatever the temperature.
  var fullSum = 0.0;
  var keptSum = 0.0;
  var lastKept = 0u;
  for (var v = 0u; v < V; v++) {
    let x = logits[off + v];
    let e = exp((x - mx) * P.invTemperature);
    fullSum += e;
    if (kept(cut, x, v)) {
      keptSum += e;
      lastKept = v;
    }
  }
  let u = uniformFromHash(hash4(P.seed, P.step, P.rowOffset + b, next));
  let threshold = u * keptSum;
  var chosen = lastKept; // if rounding leaves the threshold above the last cumulative sum
  var cumulative = 0.0;
  for (var v = 0u; v < V; v++) {
    let x = logits[off + v];
    if (!kept(cut, x, v)) {
      continue;
    }
    cumulative += exp((x - mx) * P.invTemperature);
    if (cumulative > threshold) {
      chosen = v;
      break;
    }
  }
  tokens[at] = chosen;
  logps[at] = (logits[off + chosen] - mx) * P.invTemperature - log(fullSum);
}

@compute @workgroup_size(64)
fn rng_uniform(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flatIndex(gid, nwg);
  if (i >= P.count) {
    return;
  }
  let h = hash4(P.seed, P.step, P.rowOffset + i, P.pos);
  rngOut[2u * i] = h;
  rngOut[2u * i + 1u] = bitcast<u32>(uniformFromHash(h));
}
