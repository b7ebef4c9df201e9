// The same GPT in TensorFlow.js, for the benchmark's comparison: pre-LayerNorm blocks, learned positions,
// output head tied to the token embedding, GELU (tanh), causal attention; the same GRPO clipped loss, the
// global-norm clip and Adam (weight decay 0, the run config's default), through tf.variableGrads.
// It is what a TF.js user would write with the library's ops and autograd; nothing here is tuned.
import type * as tfc from '@tensorflow/tfjs-core';
import type { GPTConfig } from '../../model/config';

export type TF = typeof tfc;
type T = tfc.Tensor;

const GELU_K = Math.sqrt(2 / Math.PI);

export interface TfBatch {
  tokens: T; // int32 (B,T)
  targets: T; // int32 (B*T)
  advantage: T; // (B*T)
  weight: T; // (B*T) loss weight (mask and aggregation)
  oldLogp: T; // (B*T)
}

export class TfGpt {
  readonly vars = new Map<string, tfc.Variable>();
  private readonly optimizer: tfc.Optimizer;
  private readonly masks = new Map<number, T>();

  constructor(readonly tf: TF, readonly cfg: GPTConfig, seed: number, lr = 1e-4) {
    const { vocabSize: V, maxT, nLayer: L, nEmbd: C } = cfg;
    const normal = (shape: number[], std: number, s: number) => tf.variable(tf.randomNormal(shape, 0, std, 'float32', seed + s));
    const proj = 0.02 / Math.sqrt(2 * L);
    this.vars.set('wte', normal([V, C], 0.02, 1));
    this.vars.set('wpe', normal([maxT, C], 0.02, 2));
    for (let l = 0; l < L; l++) {
      const p = (n: string) => `h${l}.${n}`;
      const s = 10 * (l + 1);
      this.vars.set(p('ln1w'), tf.variable(tf.ones([C])));
      this.vars.set(p('ln1b'), tf.variable(tf.zeros([C])));
      this.vars.set(p('qkvw'), normal([3 * C, C], 0.02, s + 1));
      this.vars.set(p('qkvb'), tf.variable(tf.zeros([3 * C])));
      this.vars.set(p('attprojw'), normal([C, C], proj, s + 2));
      this.vars.set(p('attprojb'), tf.variable(tf.zeros([C])));
      this.vars.set(p('ln2w'), tf.variable(tf.ones([C])));
      this.vars.set(p('ln2b'), tf.variable(tf.zeros([C])));
      this.vars.set(p('fcw'), normal([4 * C, C], 0.02, s + 3));
      this.vars.set(p('fcb'), tf.variable(tf.zeros([4 * C])));
      this.vars.set(p('fcprojw'), normal([C, 4 * C], proj, s + 4));
      this.vars.set(p('fcprojb'), tf.variable(tf.zeros([C])));
    }
    this.vars.set('lnfw', tf.variable(tf.ones([C])));
    this.vars.set('lnfb', tf.variable(tf.zeros([C])));
    this.optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  }

  private v(name: string): T {
    const x = this.vars.get(name);
    if (x === undefined) throw new Error(`no variable ${name}`);
    return x;
  }

  /** 0 on and below the diagonal, -1e9 above it: (T,T), cached per T. */
  private causal(T: number): T {
    let m = this.masks.get(T);
    if (m === undefined) {
      const host = new Float32Array(T * T);
      for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) host[i * T + j] = -1e9;
      m = this.tf.keep(this.tf.tensor2d(host, [T, T]));
      this.masks.set(T, m);
    }
    return m;
  }

  private layerNorm(x: T, w: string, b: string): T {
    const tf = this.tf;
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), this.v(w)), this.v(b));
  }

  private linear(x: T, w: string, b: string | null): T {
    const y = this.tf.matMul(x as tfc.Tensor2D, this.v(w) as tfc.Tensor2D, false, true);
    return b === null ? y : this.tf.add(y, this.v(b));
  }

  private gelu(x: T): T {
    const tf = this.tf;
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), GELU_K);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  }

  /** Self-attention of one layer over (B,T,C) rows given as (B*T, 3C); returns (B*T, C). */
  private attention(qkv: T, B: number, T: number, pastK: T | null = null, pastV: T | null = null): { y: T; k: T; v: T } {
    const tf = this.tf;
    const { nEmbd: C, nHead: NH } = this.cfg;
    const hs = C / NH;
    const heads = (x: T) => tf.transpose(tf.reshape(x, [B, T, NH, hs]), [0, 2, 1, 3]); // (B,NH,T,hs)
    const [q, kNew, vNew] = tf.split(qkv, 3, -1);
    const k = pastK === null ? heads(kNew) : tf.concat([pastK, heads(kNew)], 2);
    const v = pastV === null ? heads(vNew) : tf.concat([pastV, heads(vNew)], 2);
    let scores = tf.mul(tf.matMul(heads(q) as tfc.Tensor4D, k as tfc.Tensor4D, false, true), 1 / Math.sqrt(hs));
    if (pastK === null) scores = tf.add(scores, this.causal(T)); // a cached step sees every past key
    const y = tf.matMul(tf.softmax(scores) as tfc.Tensor4D, v as tfc.Tensor4D);
    return { y: tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [B * T, C]), k, v };
  }

  /** Logits (B*T, V) of tokens (B,T) starting at position `pos0`; with caches, appends this step's k/v. */
  forward(tokens: T, B: number, T: number, pos0 = 0, cache: { k: T[]; v: T[] } | null = null): T {
    const tf = this.tf;
    const { nEmbd: C, nLayer: L } = this.cfg;
    const emb = tf.gather(this.v('wte'), tf.reshape(tokens, [B * T]));
    const pos = tf.tile(tf.slice(this.v('wpe'), [pos0, 0], [T, C]), [B, 1]);
    let x = tf.add(emb, pos);
    for (let l = 0; l < L; l++) {
      const p = (n: string) => `h${l}.${n}`;
      const qkv = this.linear(this.layerNorm(x, p('ln1w'), p('ln1b')), p('qkvw'), p('qkvb'));
      const past = cache !== null && cache.k.length > l;
      const a = this.attention(qkv, B, T, past ? cache.k[l] : null, past ? cache.v[l] : null);
      if (cache !== null) { cache.k[l] = a.k; cache.v[l] = a.v; }
      x = tf.add(x, this.linear(a.y, p('attprojw'), p('attprojb')));
      const h = this.gelu(this.linear(this.layerNorm(x, p('ln2w'), p('ln2b')), p('fcw'), p('fcb')));
      x = tf.add(x, this.linear(h, p('fcprojw'), p('fcprojb')));
    }
    return this.linear(this.layerNorm(x, 'lnfw', 'lnfb'), 'wte', null);
  }

  /** GRPO clipped loss (epsilon 0.2): -sum_n w[n] * min(r A, clip(r) A), r = exp(logp - oldLogp). */
  private loss(batch: TfBatch, B: number, T: number): tfc.Scalar {
    const tf = this.tf;
    const logits = this.forward(batch.tokens, B, T);
    const logp = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(batch.targets, this.cfg.vocabSize)), -1);
    const ratio = tf.exp(tf.sub(logp, batch.oldLogp));
    const clipped = tf.clipByValue(ratio, 0.8, 1.2);
    const obj = tf.minimum(tf.mul(ratio, batch.advantage), tf.mul(clipped, batch.advantage));
    return tf.neg(tf.sum(tf.mul(obj, batch.weight))) as tfc.Scalar;
  }

  /** One step: loss and gradients (autograd), global-norm clip to 1, Adam. Reads back [loss, norm] once. */
  async trainStep(batch: TfBatch, B: number, T: number): Promise<[number, number]> {
    const tf = this.tf;
    const out = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.loss(batch, B, T));
      const names = Object.keys(grads);
      // a chain of adds: tf.addN of ~30 tensors binds more storage buffers than SwiftShader allows (8)
      const norm = tf.sqrt(names.map((n) => tf.sum(tf.square(grads[n]))).reduce((a, b) => tf.add(a, b)));
      const scale = tf.minimum(tf.div(1, tf.add(norm, 1e-6)), 1);
      const scaled: tfc.NamedTensorMap = {};
      for (const n of names) scaled[n] = tf.mul(grads[n], scale);
      this.optimizer.applyGradients(scaled);
      return tf.stack([value, norm]);
    });
    const host = await out.data();
    out.dispose();
    return [host[0], host[1]];
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    for (const m of this.masks.values()) m.dispose();
    this.optimizer.dispose();
  }
}
