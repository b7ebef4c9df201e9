// One gradient step on a batch of token sequences, all on the Backend: forward, the GRPO loss and its
// gradient w.r.t. the logits in one pass, backward, global gradient norm, AdamW. Supervised pretraining is
// the same step with advantage 1 and mode ON_POLICY (then the loss is the mean token cross-entropy).
// One readback per step: per-token stats and the gradient norm share a buffer.
import { TOKEN_DATA, TOKEN_STATS, VIEW_ALIGN, type AdamWSettings, type Backend, type GrpoLossSettings, type Tensor } from '../backend/backend';
import type { GPT } from '../model/gpt';

/** A batch of B right-padded sequences of length T (input tokens and next-token targets). */
export interface TrainBatch {
  B: number;
  T: number;
  tokens: Uint32Array; // (B,T) inputs, BOS first
  targets: Uint32Array; // (B,T) the next token at each position (PAD past the end)
  tokenData: Float32Array; // (B*T, TOKEN_DATA.columns) per target position
  oldLogp: Float32Array; // (B,T) log-prob of each target under the policy that sampled it
}

export interface UpdateSettings {
  lr: number;
  weightDecay: number;
  maxGradNorm: number;
  beta1: number;
  beta2: number;
  loss: GrpoLossSettings;
}

export interface UpdateResult {
  /** (B*T,4): [logp, entropy, k3, clipCode] per target position */
  stats: Float32Array;
  gradNorm: number; // before clipping
}

export class PolicyUpdater {
  private readonly k: Backend;
  private readonly m: Tensor;
  private readonly v: Tensor;
  private readonly decayMask: Tensor;
  private bufs: Record<string, Tensor> | null = null;
  private cap = 0; // rows the batch buffers hold
  private t = 0; // AdamW step count

  constructor(readonly model: GPT, readonly reference: GPT | null = null) {
    this.k = model.backend;
    const n = model.layout.total;
    this.m = this.k.alloc(n, 'f32', 'adam.m');
    this.v = this.k.alloc(n, 'f32', 'adam.v');
    this.decayMask = this.k.alloc(n, 'f32', 'adam.decayMask');
    this.k.write(this.decayMask, model.decayMask());
  }

  get optimizerStep(): number {
    return this.t;
  }

  /** AdamW moments and step count, for checkpoints that resume exactly. */
  async saveState(): Promise<{ m: Float32Array; v: Float32Array; t: number }> {
    return { m: (await this.k.read(this.m)) as Float32Array, v: (await this.k.read(this.v)) as Float32Array, t: this.t };
  }

  loadState(s: { m: Float32Array; v: Float32Array; t: number }): void {
    this.k.write(this.m, s.m);
    this.k.write(this.v, s.v);
    this.t = s.t;
  }

  private ensure(rows: number): Record<string, Tensor> {
    if (this.bufs && this.cap >= rows) return this.bufs;
    if (this.bufs) for (const [name, t] of Object.entries(this.bufs)) if (name !== 'norm' && name !== 'stats') this.k.free(t);
    const V = this.model.cfg.vocabSize;
    const statsLen = Math.ceil((rows * TOKEN_STATS.columns) / VIEW_ALIGN) * VIEW_ALIGN;
    const out = this.k.alloc(statsLen + VIEW_ALIGN, 'f32', 'update.out'); // stats, then the norm
    this.bufs = {
      tokens: this.k.alloc(rows, 'u32', 'update.tokens'),
      targets: this.k.alloc(rows, 'u32', 'update.targets'),
      tokenData: this.k.alloc(rows * TOKEN_DATA.columns, 'f32', 'update.tokenData'),
      oldLogp: this.k.alloc(rows, 'f32', 'update.oldLogp'),
      refLogp: this.k.alloc(rows, 'f32', 'update.refLogp'),
      refEntropy: this.k.alloc(rows, 'f32', 'update.refEntropy'),
      dlogits: this.k.alloc(rows * V, 'f32', 'update.dlogits'),
      out,
      stats: this.k.view(out, 0, rows * TOKEN_STATS.columns, 'update.stats'),
      norm: this.k.view(out, statsLen, 1, 'update.norm'),
    };
    this.cap = rows;
    return this.bufs;
  }

  async step(batch: TrainBatch, s: UpdateSettings): Promise<UpdateResult> {
    const { B, T } = batch;
    const N = B * T;
    const { vocabSize: V } = this.model.cfg;
    const b = this.ensure(N);
    const k = this.k;
    k.write(b.tokens, batch.tokens);
    k.write(b.targets, batch.targets);
    k.write(b.tokenData, batch.tokenData);
    k.write(b.oldLogp, batch.oldLogp);
    if (s.loss.beta > 0) {
      if (!this.reference) throw new Error('beta > 0 needs a reference model');
      const refLogits = this.reference.forward(b.tokens, B, T);
      k.tokenLogprobs(b.refLogp, b.refEntropy, refLogits, b.targets, N, V);
    }
    const logits = this.model.forward(b.tokens, B, T);
    k.grpoLossBackward(b.dlogits, b.stats, logits, b.targets, b.tokenData, b.oldLogp, b.refLogp, N, V, s.loss);
    this.model.zeroGrad();
    this.model.backward(b.dlogits, b.tokens, B, T);
    const P = this.model.layout.total;
    k.globalNorm(b.norm, this.model.grads, P);
    this.t += 1;
    const adam: AdamWSettings = {
      lr: s.lr, beta1: s.beta1, beta2: s.beta2, eps: 1e-8, weightDecay: s.weightDecay, step: this.t, maxGradNorm: s.maxGradNorm,
    };
    k.adamW(this.model.params, this.model.grads, this.m, this.v, this.decayMask, b.norm, P, adam);
    const out = (await k.read(b.out)) as Float32Array; // the step's only readback
    const statsLen = Math.ceil((this.cap * TOKEN_STATS.columns) / VIEW_ALIGN) * VIEW_ALIGN;
    return { stats: out.slice(0, N * TOKEN_STATS.columns), gradNorm: out[statsLen] };
  }

  destroy(): void {
    if (this.bufs) for (const [name, t] of Object.entries(this.bufs)) if (name !== 'norm' && name !== 'stats') this.k.free(t);
    for (const t of [this.m, this.v, this.decayMask]) this.k.free(t);
  }
}
