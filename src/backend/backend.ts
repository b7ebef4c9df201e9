// The Backend: flat buffers plus the op set a GPT policy needs, forward and backward (llm.c style).
//
// Conventions (shape letters as in llm.c):
//   B batch, T time, C channels, NH heads, V vocabulary, OC output channels, N = B*T rows.
//   Every tensor is a flat row-major buffer of f32 or u32 elements.
//   Every *Backward op ACCUMULATES (+=) into its gradient outputs, so residual branches can share a gradient
//   buffer; the caller zeroes gradients before a backward pass.
//   Ops are enqueued in call order. The CPU backend runs them at once; the WebGPU backend records them into a
//   command encoder and only submits when `read` (or `flush`) is called. Nothing is read back implicitly.

export type DType = 'f32' | 'u32';

/** An opaque handle to device memory. `length` is in elements. Views share their parent's memory. */
export interface Tensor {
  readonly length: number;
  readonly dtype: DType;
  readonly label: string;
}

/** Offsets of views must be multiples of this many elements (256 bytes: WebGPU's binding alignment). */
export const VIEW_ALIGN = 64;

/** Settings of the GRPO per-token loss (docs/methods.md, "GRPO"). */
export interface GrpoLossSettings {
  epsLow: number; // clip below at 1 - epsLow
  epsHigh: number; // clip above at 1 + epsHigh
  beta: number; // weight of the k3 KL to the reference policy (0: no KL, refLogp is ignored)
  gamma: number; // LTE shaping f(r) = r / (r + gamma) for tokens of mode SHAPED
}

/**
 * The GRPO loss's per-token input, tokenData (N,3): one row per target position. The one declaration of its
 * columns: the CPU op, the WGSL kernel (TD_* constants in shaders/loss.wgsl, compared by a test), the train
 * batch builder and the metrics read it by these names.
 */
export const TOKEN_DATA = { advantage: 0, weight: 1, mode: 2, columns: 3 } as const;

/** The GRPO loss's per-token output, stats (N,4) (ST_* constants in shaders/loss.wgsl). */
export const TOKEN_STATS = { logp: 0, entropy: 1, k3: 2, clipCode: 3, columns: 4 } as const;

/**
 * Per-token mode of the GRPO loss (tokenData column TOKEN_DATA.mode).
 *  CLIPPED:   -min(r*A, clip(r, 1-epsLow, 1+epsHigh)*A), r = exp(logp - oldLogp)
 *  ON_POLICY: as CLIPPED with oldLogp := logp (detached), so r == 1 and the gradient is A * dlogp
 *  SHAPED:    -(r / (r + gamma)) * A, unclipped (LTE's hinted samples trained against the un-hinted prompt)
 */
export const TokenMode = { CLIPPED: 0, ON_POLICY: 1, SHAPED: 2 } as const;

/** Codes written into stats column TOKEN_STATS.clipCode for each token. */
export const ClipCode = { NONE: 0, LOW: 1, HIGH: 2 } as const;

/** Hyperparameters of one AdamW step (bias-corrected, decoupled weight decay). */
export interface AdamWSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  step: number; // 1-based step count t for bias correction
  maxGradNorm: number; // clip the global norm to this (<= 0: no clipping)
}

/** Sampling settings of one decode step. The uniform draw is rng(seed, step, rowOffset + b, pos + 1). */
export interface SampleSettings {
  temperature: number; // > 0
  topK: number; // 0: no top-k filtering
  seed: number; // u32
  step: number; // u32 (e.g. the training step)
  rowOffset: number; // u32, added to the row index b
}

/** Counters since creation (the WebGPU backend fills them in; the CPU backend counts ops as dispatches). */
export interface BackendCounters {
  dispatches: number;
  submits: number;
  readbacks: number;
  readbackBytes: number;
  bytesHeld: number;
}

export interface Backend {
  readonly name: 'cpu' | 'webgpu';

  // ---- memory ----
  /** A new zero-filled tensor. */
  alloc(length: number, dtype?: DType, label?: string): Tensor;
  /**
   * A view of `length` elements of `t` starting at `offset` (a multiple of VIEW_ALIGN). With `dtype` the
   * view reinterprets the same bytes (f32 <-> u32), so results of both kinds can share one readback.
   */
  view(t: Tensor, offset: number, length: number, label?: string, dtype?: DType): Tensor;
  /** Copy host data into `t` starting at element `offset` (default 0). Ordered with the enqueued ops. */
  write(t: Tensor, data: Float32Array | Uint32Array, offset?: number): void;
  /** Submit pending work and read the whole tensor back (one readback). */
  read(t: Tensor): Promise<Float32Array | Uint32Array>;
  /** dst[i] = 0 */
  zero(t: Tensor): void;
  /** dst[i] = src[i] for i < src.length (same dtype) */
  copy(dst: Tensor, src: Tensor): void;
  /** Submit pending work without reading. */
  flush(): Promise<void>;
  /** Release a tensor (not a view). */
  free(t: Tensor): void;
  counters(): BackendCounters;
  destroy(): void;

  // ---- forward / backward ops ----
  /**
   * out[b,t,:] = wte[tokens[b,t],:] + wpe[t,:]   out (B,T,C), tokens u32 (B,T).
   * wpe null (a rotary-position model): out[b,t,:] = wte[tokens[b,t],:].
   */
  encoderForward(out: Tensor, tokens: Tensor, wte: Tensor, wpe: Tensor | null, B: number, T: number, C: number): void;
  /** dwte[tokens[b,t],:] += dout[b,t,:]; dwpe[t,:] += dout[b,t,:] unless dwpe is null (deterministic, no float atomics) */
  encoderBackward(dwte: Tensor, dwpe: Tensor | null, dout: Tensor, tokens: Tensor, B: number, T: number, C: number): void;

  /** out = (inp - mean) * rstd * weight + bias per row; saves mean (N) and rstd (N). eps = 1e-5 */
  layernormForward(out: Tensor, mean: Tensor, rstd: Tensor, inp: Tensor, weight: Tensor, bias: Tensor, N: number, C: number): void;
  layernormBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor, dout: Tensor,
    inp: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor, N: number, C: number,
  ): void;

  /** out (N,OC) = inp (N,C) @ weight(OC,C)^T + bias(OC) */
  matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor | null, N: number, C: number, OC: number): void;
  /** dinp += dout @ weight; dweight += dout^T @ inp; dbias += sum_rows dout */
  matmulBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor | null, dout: Tensor,
    inp: Tensor, weight: Tensor, N: number, C: number, OC: number,
  ): void;

  /**
   * Causal multi-head self-attention. qkv (B,T,3C) holds q | k | v; out (B,T,C); att (B,NH,T,T) keeps the
   * softmax probabilities for backward (entries above the diagonal are 0). Scale 1/sqrt(C/NH).
   */
  attentionForward(out: Tensor, att: Tensor, qkv: Tensor, B: number, T: number, C: number, NH: number): void;
  /** dqkv += gradient of attention w.r.t. qkv */
  attentionBackward(dqkv: Tensor, dout: Tensor, qkv: Tensor, att: Tensor, B: number, T: number, C: number, NH: number): void;

  /**
   * Rotary position embedding, IN PLACE on the q and k thirds of qkv (B,T,3C); v untouched. Channel pairs
   * (2i, 2i+1) of each head (hs = C/NH, even) at position p = pos0 + t turn by the angle whose [cos, sin] is
   * table[(p*hs/2 + i)*2 + 0|1]; table (>= pos0+T, hs/2, 2) comes from src/model/rope.ts.
   */
  ropeForward(qkv: Tensor, table: Tensor, B: number, T: number, C: number, NH: number, pos0: number): void;
  /**
   * The exception to "backward accumulates": turns dq and dk of dqkv back by the same angles IN PLACE (the
   * transpose of a rotation is its inverse), so a dqkv that held d loss / d (rotated qkv) then holds
   * d loss / d (qkv before rotation).
   */
  ropeBackward(dqkv: Tensor, table: Tensor, B: number, T: number, C: number, NH: number, pos0: number): void;

  /** GELU, tanh approximation. */
  geluForward(out: Tensor, inp: Tensor, N: number): void;
  geluBackward(dinp: Tensor, inp: Tensor, dout: Tensor, N: number): void;

  /** out = a + b */
  residualForward(out: Tensor, a: Tensor, b: Tensor, N: number): void;
  /** dst += src (the backward of a residual add, and general gradient accumulation) */
  accumulate(dst: Tensor, src: Tensor, N: number): void;

  /**
   * Per row n of logits (N,V): logp[n] = log_softmax(logits[n])[targets[n]], entropy[n] = H(softmax(logits[n])).
   * No gradient. Used for reference/old log-probs and metrics.
   */
  tokenLogprobs(logp: Tensor, entropy: Tensor, logits: Tensor, targets: Tensor, N: number, V: number): void;

  /**
   * The GRPO loss and its gradient w.r.t. logits in one pass (docs/methods.md, "GRPO").
   *   tokenData (N,3) f32: [advantage, weight, mode]; weight carries the mask and the aggregation
   *                        (dapo: 1/numTokens, grpo: 1/(len_i * numSeqs), dr_grpo: 1/(B*maxLen), 0: masked)
   *   oldLogp (N), refLogp (N) f32
   *   loss = sum_n weight[n] * (policyLoss[n] + beta * k3[n]),  k3 = exp(ref - logp) - (ref - logp) - 1
   *   dlogits (N,V) = d loss / d logits (overwritten, not accumulated)
   *   stats (N,4) f32: [logp, entropy, k3, clipCode]   (written for every row, masked or not)
   */
  grpoLossBackward(
    dlogits: Tensor, stats: Tensor, logits: Tensor, targets: Tensor,
    tokenData: Tensor, oldLogp: Tensor, refLogp: Tensor, N: number, V: number, settings: GrpoLossSettings,
  ): void;

  /** out[0] = sqrt(sum_i grads[i]^2) */
  globalNorm(out: Tensor, grads: Tensor, N: number): void;
  /**
   * One AdamW step over the flat parameter buffer. The gradient is scaled by min(1, maxGradNorm / norm[0])
   * first (norm from globalNorm). decayMask[i] is 1 where weight decay applies, else 0.
   */
  adamW(params: Tensor, grads: Tensor, m: Tensor, v: Tensor, decayMask: Tensor, norm: Tensor, N: number, s: AdamWSettings): void;

  // ---- incremental decode with a KV cache ----
  /**
   * out[b,:] = wte[tokens[b*Tseq + pos],:] + wpe[pos,:]   out (B,C), tokens u32 (B,Tseq); wpe null: wte's row
   * alone (a rotary-position model, whose decode step rotates q and k with ropeForward(qkv, table, B, 1, C, NH, pos)).
   */
  encoderForwardAt(out: Tensor, tokens: Tensor, wte: Tensor, wpe: Tensor | null, B: number, C: number, Tseq: number, pos: number): void;
  /**
   * Write k, v of qkv (B,3C) into the caches at `pos`, then attend q over positions 0..pos.
   * kCache, vCache (B,NH,Tmax,C/NH); out (B,C).
   */
  attentionDecode(
    out: Tensor, kCache: Tensor, vCache: Tensor, qkv: Tensor,
    B: number, C: number, NH: number, Tmax: number, pos: number,
  ): void;
  /**
   * Choose token pos+1 of each row. tokens u32 (B,Tseq), logps f32 (B,Tseq), logits (B,V), promptLen u32 (B).
   * If pos+1 >= Tseq: nothing. If pos+1 < promptLen[b]: the prompt token stays, logps = 0.
   * Else if tokens[b,pos] is EOS or PAD (and pos >= promptLen[b]): write PAD, logps = 0 (row finished).
   * Else sample by inverse CDF of softmax(logits/temperature) restricted to the top-k (ties: lower index
   * first) with u = rngUniform(seed, step, rowOffset + b, pos + 1); write the token and its log-prob under
   * softmax(logits/temperature) (no top-k renormalisation).
   */
  sampleNext(
    tokens: Tensor, logps: Tensor, logits: Tensor, promptLen: Tensor,
    B: number, V: number, Tseq: number, pos: number, s: SampleSettings,
  ): void;
}

/** Token ids the sampler needs to know (the tokenizer puts them first). */
export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;
