// The GPT policy, written against the Backend (llm.c's train_gpt2.c, op by op): forward keeps every
// activation backward needs; backward walks the layers in reverse and accumulates parameter gradients.
// Sequences start with BOS at position 0 and are right-padded, so padding never leaks into earlier positions.
// Positions (cfg.positions): 'learned' adds wpe[t] to the token embedding; 'rope' adds nothing there and
// rotates q and k of every head by position right after the qkv matmul (src/model/rope.ts).
import type { Backend, Tensor } from '../backend/backend';
import { Rng } from '../backend/rng';
import type { GPTConfig } from './config';
import { layerParam, paramLayout, type ParamLayout } from './layout';
import { ropeTable } from './rope';

/** Named views of one flat buffer (parameters, or their gradients). */
export type ParamViews = Map<string, Tensor>;

interface LayerActs {
  ln1: Tensor; ln1Mean: Tensor; ln1Rstd: Tensor; qkv: Tensor; atty: Tensor; att: Tensor; attproj: Tensor;
  residual2: Tensor; ln2: Tensor; ln2Mean: Tensor; ln2Rstd: Tensor; fch: Tensor; fchGelu: Tensor;
  fcproj: Tensor; residual3: Tensor;
}

interface Activations {
  B: number; T: number; // capacity
  encoded: Tensor; layers: LayerActs[]; lnf: Tensor; lnfMean: Tensor; lnfRstd: Tensor; logits: Tensor;
  // backward scratch, shared by all layers
  dresidual: Tensor; dln: Tensor; datty: Tensor; dqkv: Tensor; dfch: Tensor; dfchGelu: Tensor; dlnf: Tensor;
}

export class GPT {
  readonly layout: ParamLayout;
  readonly params: Tensor;
  readonly grads: Tensor;
  readonly p: ParamViews;
  readonly g: ParamViews;
  /** 'rope' models: the [cos, sin] table (maxT, hs/2, 2) every rope op reads; null for learned positions. */
  readonly rope: Tensor | null;
  private acts: Activations | null = null;

  constructor(readonly backend: Backend, readonly cfg: GPTConfig) {
    this.layout = paramLayout(cfg);
    this.params = backend.alloc(this.layout.total, 'f32', 'params');
    this.grads = backend.alloc(this.layout.total, 'f32', 'grads');
    this.p = this.views(this.params);
    this.g = this.views(this.grads);
    if (cfg.positions === 'rope') {
      const table = ropeTable(cfg.maxT, cfg.nEmbd / cfg.nHead);
      this.rope = backend.alloc(table.length, 'f32', 'rope');
      backend.write(this.rope, table);
    } else {
      this.rope = null;
    }
  }

  /** The position table of the encoder (learned positions) or null (rope: positions enter in attention). */
  get wpe(): Tensor | null {
    return this.rope ? null : this.p.get('wpe')!;
  }

  private views(buf: Tensor): ParamViews {
    return new Map(this.layout.entries.map((e) => [e.name, this.backend.view(buf, e.offset, e.length, e.name)]));
  }

  /** GPT-2 init: N(0, 0.02) weights, residual projections scaled by 1/sqrt(2L), LayerNorm 1/0, biases 0. */
  initParams(seed: number): void {
    const host = new Float32Array(this.layout.total);
    const rng = new Rng(seed, 0x1717);
    const projStd = 0.02 / Math.sqrt(2 * this.cfg.nLayer);
    for (const e of this.layout.entries) {
      for (let i = 0; i < e.length; i++) {
        host[e.offset + i] =
          e.init === 'ones' ? 1 : e.init === 'zeros' ? 0 : rng.normal() * (e.init === 'normal' ? 0.02 : projStd);
      }
    }
    this.backend.write(this.params, host);
  }

  /** 1 where AdamW's weight decay applies, else 0 (one entry per element of the flat buffer). */
  decayMask(): Float32Array {
    const mask = new Float32Array(this.layout.total);
    for (const e of this.layout.entries) if (e.decay) mask.fill(1, e.offset, e.offset + e.length);
    return mask;
  }

  /** Grow the activation buffers to hold B sequences of length T (never shrinks; no allocation when it fits). */
  ensureCapacity(B: number, T: number): void {
    if (T > this.cfg.maxT) throw new Error(`sequence length ${T} exceeds the model's maxT ${this.cfg.maxT}`);
    const a = this.acts;
    if (a && a.B >= B && a.T >= T) return;
    if (a) this.freeActivations();
    const nB = Math.max(B, a?.B ?? 0);
    const nT = Math.max(T, a?.T ?? 0);
    const { nEmbd: C, nHead: NH, vocabSize: V, nLayer: L } = this.cfg;
    const N = nB * nT;
    const f = (n: number, label: string) => this.backend.alloc(n, 'f32', label);
    const layers: LayerActs[] = [];
    for (let l = 0; l < L; l++) {
      layers.push({
        ln1: f(N * C, 'ln1'), ln1Mean: f(N, 'ln1Mean'), ln1Rstd: f(N, 'ln1Rstd'), qkv: f(N * 3 * C, 'qkv'),
        atty: f(N * C, 'atty'), att: f(nB * NH * nT * nT, 'att'), attproj: f(N * C, 'attproj'),
        residual2: f(N * C, 'residual2'), ln2: f(N * C, 'ln2'), ln2Mean: f(N, 'ln2Mean'), ln2Rstd: f(N, 'ln2Rstd'),
        fch: f(N * 4 * C, 'fch'), fchGelu: f(N * 4 * C, 'fchGelu'), fcproj: f(N * C, 'fcproj'),
        residual3: f(N * C, 'residual3'),
      });
    }
    this.acts = {
      B: nB, T: nT, encoded: f(N * C, 'encoded'), layers, lnf: f(N * C, 'lnf'), lnfMean: f(N, 'lnfMean'),
      lnfRstd: f(N, 'lnfRstd'), logits: f(N * V, 'logits'),
      dresidual: f(N * C, 'dresidual'), dln: f(N * C, 'dln'), datty: f(N * C, 'datty'), dqkv: f(N * 3 * C, 'dqkv'),
      dfch: f(N * 4 * C, 'dfch'), dfchGelu: f(N * 4 * C, 'dfchGelu'), dlnf: f(N * C, 'dlnf'),
    };
  }

  private freeActivations(): void {
    const a = this.acts;
    if (!a) return;
    const all: Tensor[] = [a.encoded, a.lnf, a.lnfMean, a.lnfRstd, a.logits, a.dresidual, a.dln, a.datty, a.dqkv, a.dfch, a.dfchGelu, a.dlnf];
    for (const l of a.layers) all.push(...Object.values(l));
    for (const t of all) this.backend.free(t);
    this.acts = null;
  }

  /** The logits buffer of the last forward: (B,T,V) rows for the B*T positions. */
  get logits(): Tensor {
    if (!this.acts) throw new Error('forward has not run');
    return this.acts.logits;
  }

  /** tokens u32 (B,T). Returns the logits tensor (B*T rows of V; rows past B*T are stale). */
  forward(tokens: Tensor, B: number, T: number): Tensor {
    this.ensureCapacity(B, T);
    const a = this.acts!;
    const k = this.backend;
    const { nEmbd: C, nHead: NH, vocabSize: V, nLayer: L } = this.cfg;
    const N = B * T;
    const p = (name: string) => this.p.get(name)!;
    k.encoderForward(a.encoded, tokens, p('wte'), this.wpe, B, T, C);
    let residual = a.encoded;
    for (let l = 0; l < L; l++) {
      const x = a.layers[l];
      const w = (n: string) => p(layerParam(l, n));
      k.layernormForward(x.ln1, x.ln1Mean, x.ln1Rstd, residual, w('ln1w'), w('ln1b'), N, C);
      k.matmulForward(x.qkv, x.ln1, w('qkvw'), w('qkvb'), N, C, 3 * C);
      if (this.rope) k.ropeForward(x.qkv, this.rope, B, T, C, NH, 0); // x.qkv keeps the rotated q, k
      k.attentionForward(x.atty, x.att, x.qkv, B, T, C, NH);
      k.matmulForward(x.attproj, x.atty, w('attprojw'), w('attprojb'), N, C, C);
      k.residualForward(x.residual2, residual, x.attproj, N * C);
      k.layernormForward(x.ln2, x.ln2Mean, x.ln2Rstd, x.residual2, w('ln2w'), w('ln2b'), N, C);
      k.matmulForward(x.fch, x.ln2, w('fcw'), w('fcb'), N, C, 4 * C);
      k.geluForward(x.fchGelu, x.fch, N * 4 * C);
      k.matmulForward(x.fcproj, x.fchGelu, w('fcprojw'), w('fcprojb'), N, 4 * C, C);
      k.residualForward(x.residual3, x.residual2, x.fcproj, N * C);
      residual = x.residual3;
    }
    k.layernormForward(a.lnf, a.lnfMean, a.lnfRstd, residual, p('lnfw'), p('lnfb'), N, C);
    k.matmulForward(a.logits, a.lnf, p('wte'), null, N, C, V); // tied output head
    return a.logits;
  }

  zeroGrad(): void {
    this.backend.zero(this.grads);
  }

  /** Accumulate parameter gradients given d loss / d logits (B,T,V) of the last forward with the same tokens. */
  backward(dlogits: Tensor, tokens: Tensor, B: number, T: number): void {
    const a = this.acts;
    if (!a) throw new Error('backward before forward');
    const k = this.backend;
    const { nEmbd: C, nHead: NH, vocabSize: V, nLayer: L } = this.cfg;
    const N = B * T;
    const p = (name: string) => this.p.get(name)!;
    const g = (name: string) => this.g.get(name)!;
    const lastResidual = L > 0 ? a.layers[L - 1].residual3 : a.encoded;

    k.zero(a.dlnf);
    k.matmulBackward(a.dlnf, g('wte'), null, dlogits, a.lnf, p('wte'), N, C, V);
    k.zero(a.dresidual);
    k.layernormBackward(a.dresidual, g('lnfw'), g('lnfb'), a.dlnf, lastResidual, p('lnfw'), a.lnfMean, a.lnfRstd, N, C);

    // a.dresidual holds d loss / d (residual3 of layer l) on entry and d loss / d (its input) on exit
    for (let l = L - 1; l >= 0; l--) {
      const x = a.layers[l];
      const residualIn = l === 0 ? a.encoded : a.layers[l - 1].residual3;
      const w = (n: string) => p(layerParam(l, n));
      const dw = (n: string) => g(layerParam(l, n));
      k.zero(a.dfchGelu);
      k.matmulBackward(a.dfchGelu, dw('fcprojw'), dw('fcprojb'), a.dresidual, x.fchGelu, w('fcprojw'), N, 4 * C, C);
      k.zero(a.dfch);
      k.geluBackward(a.dfch, x.fch, a.dfchGelu, N * 4 * C);
      k.zero(a.dln);
      k.matmulBackward(a.dln, dw('fcw'), dw('fcb'), a.dfch, x.ln2, w('fcw'), N, C, 4 * C);
      k.layernormBackward(a.dresidual, dw('ln2w'), dw('ln2b'), a.dln, x.residual2, w('ln2w'), x.ln2Mean, x.ln2Rstd, N, C);
      k.zero(a.datty);
      k.matmulBackward(a.datty, dw('attprojw'), dw('attprojb'), a.dresidual, x.atty, w('attprojw'), N, C, C);
      k.zero(a.dqkv);
      k.attentionBackward(a.dqkv, a.datty, x.qkv, x.att, B, T, C, NH);
      if (this.rope) k.ropeBackward(a.dqkv, this.rope, B, T, C, NH, 0);
      k.zero(a.dln);
      k.matmulBackward(a.dln, dw('qkvw'), dw('qkvb'), a.dqkv, x.ln1, w('qkvw'), N, C, 3 * C);
      k.layernormBackward(a.dresidual, dw('ln1w'), dw('ln1b'), a.dln, residualIn, w('ln1w'), x.ln1Mean, x.ln1Rstd, N, C);
    }
    k.encoderBackward(g('wte'), this.rope ? null : g('wpe'), a.dresidual, tokens, B, T, C);
  }

  /** Copy all parameters from another model of the same config (e.g. the frozen reference policy). */
  copyParamsFrom(other: GPT): void {
    if (other.layout.total !== this.layout.total || other.cfg.positions !== this.cfg.positions) throw new Error('copyParamsFrom: models differ in shape or position scheme');
    this.backend.copy(this.params, other.params);
  }

  destroy(): void {
    this.freeActivations();
    this.backend.free(this.params);
    this.backend.free(this.grads);
    if (this.rope) this.backend.free(this.rope);
  }
}
