// Incremental decoding with a KV cache: one position per step for the whole batch, prompts forced and
// completions sampled on the device, and a single readback at the end.
//
// Every row starts with BOS at position 0. At position pos each row's token is embedded, attends over the
// cache, and `sampleNext` picks token pos+1: the prompt's own token while the row is still inside its
// prompt (so prompts of different lengths need no padding), a sampled one afterwards, PAD once the row has
// produced EOS. Rows finish by masking on the device, never by reading back.
import { VIEW_ALIGN, type Backend, type SampleSettings, type Tensor } from '../backend/backend';
import type { GPT } from './gpt';
import { layerParam } from './layout';

export interface DecodeBatch {
  /** u32 (B,Tseq): each row's prompt tokens from position 0 (BOS first), anything after them. */
  tokens: Uint32Array;
  /** u32 (B): the prompt length of each row (>= 1). */
  promptLen: Uint32Array;
  B: number;
  Tseq: number; // the sequence budget: prompt + completion <= Tseq <= model maxT
}

export interface DecodeResult {
  tokens: Uint32Array; // (B,Tseq), prompt then completion then EOS then PAD
  logps: Float32Array; // (B,Tseq), log-prob of each sampled token (0 for forced and PAD positions)
}

/** Decode buffers for a batch capacity, allocated once and reused. */
export class Decoder {
  private readonly bufs: Record<string, Tensor>;
  private readonly kCache: Tensor[] = [];
  private readonly vCache: Tensor[] = [];

  constructor(readonly model: GPT, readonly maxB: number) {
    const k = model.backend;
    const { nEmbd: C, vocabSize: V, nLayer: L, maxT } = model.cfg;
    const f = (n: number, label: string) => k.alloc(n, 'f32', label);
    this.bufs = {
      x: f(maxB * C, 'dec.x'), ln: f(maxB * C, 'dec.ln'), mean: f(maxB, 'dec.mean'), rstd: f(maxB, 'dec.rstd'),
      qkv: f(maxB * 3 * C, 'dec.qkv'), atty: f(maxB * C, 'dec.atty'), proj: f(maxB * C, 'dec.proj'),
      res2: f(maxB * C, 'dec.res2'), fch: f(maxB * 4 * C, 'dec.fch'), fchGelu: f(maxB * 4 * C, 'dec.fchGelu'),
      res3: f(maxB * C, 'dec.res3'), logits: f(maxB * V, 'dec.logits'),
      out: k.alloc(2 * this.half(), 'u32', 'dec.out'), // tokens then logps, read back together
      promptLen: k.alloc(maxB, 'u32', 'dec.promptLen'),
    };
    this.bufs.tokens = k.view(this.bufs.out, 0, maxB * maxT, 'dec.tokens');
    this.bufs.logps = k.view(this.bufs.out, this.half(), maxB * maxT, 'dec.logps', 'f32');
    for (let l = 0; l < L; l++) {
      this.kCache.push(f(maxB * C * maxT, `dec.k${l}`));
      this.vCache.push(f(maxB * C * maxT, `dec.v${l}`));
    }
  }

  /** Where the logps view starts in the output buffer: after maxB*maxT tokens, rounded up to VIEW_ALIGN. */
  private half(): number {
    return Math.ceil((this.maxB * this.model.cfg.maxT) / VIEW_ALIGN) * VIEW_ALIGN;
  }

  /** Generate completions for a batch. One submit of the whole loop and one readback per output buffer pair. */
  async generate(batch: DecodeBatch, s: SampleSettings): Promise<DecodeResult> {
    const { B, Tseq } = batch;
    const m = this.model;
    const k: Backend = m.backend;
    const { nEmbd: C, nHead: NH, vocabSize: V, nLayer: L, maxT } = m.cfg;
    if (B > this.maxB) throw new Error(`decode batch ${B} exceeds capacity ${this.maxB}`);
    if (Tseq > maxT) throw new Error(`decode length ${Tseq} exceeds the model's maxT ${maxT}`);
    if (batch.tokens.length !== B * Tseq) throw new Error('decode: tokens must have B*Tseq entries');
    const b = this.bufs;
    const p = (name: string) => m.p.get(name)!;
    k.write(b.tokens, batch.tokens);
    k.write(b.promptLen, batch.promptLen);
    k.zero(b.logps);
    for (let pos = 0; pos < Tseq - 1; pos++) {
      k.encoderForwardAt(b.x, b.tokens, p('wte'), m.wpe, B, C, Tseq, pos);
      let residual = b.x;
      for (let l = 0; l < L; l++) {
        const w = (n: string) => p(layerParam(l, n));
        k.layernormForward(b.ln, b.mean, b.rstd, residual, w('ln1w'), w('ln1b'), B, C);
        k.matmulForward(b.qkv, b.ln, w('qkvw'), w('qkvb'), B, C, 3 * C);
        // rope: q and k of this one position turn by pos before k enters the cache, as in the full forward
        if (m.rope) k.ropeForward(b.qkv, m.rope, B, 1, C, NH, pos);
        k.attentionDecode(b.atty, this.kCache[l], this.vCache[l], b.qkv, B, C, NH, maxT, pos);
        k.matmulForward(b.proj, b.atty, w('attprojw'), w('attprojb'), B, C, C);
        k.residualForward(b.res2, residual, b.proj, B * C);
        k.layernormForward(b.ln, b.mean, b.rstd, b.res2, w('ln2w'), w('ln2b'), B, C);
        k.matmulForward(b.fch, b.ln, w('fcw'), w('fcb'), B, C, 4 * C);
        k.geluForward(b.fchGelu, b.fch, B * 4 * C);
        k.matmulForward(b.proj, b.fchGelu, w('fcprojw'), w('fcprojb'), B, 4 * C, C);
        // res3 becomes the next layer's input; x is free after layer 0, so the two buffers alternate
        const out = residual === b.res3 ? b.x : b.res3;
        k.residualForward(out, b.res2, b.proj, B * C);
        residual = out;
      }
      k.layernormForward(b.ln, b.mean, b.rstd, residual, p('lnfw'), p('lnfb'), B, C);
      k.matmulForward(b.logits, b.ln, p('wte'), null, B, C, V);
      k.sampleNext(b.tokens, b.logps, b.logits, b.promptLen, B, V, Tseq, pos, s);
    }
    const out = (await k.read(b.out)) as Uint32Array; // the batch's only readback
    const half = this.half();
    return {
      tokens: out.slice(0, B * Tseq),
      logps: new Float32Array(out.buffer, out.byteOffset + half * 4, B * Tseq).slice(),
    };
  }

  destroy(): void {
    const k = this.model.backend;
    const views = new Set([this.bufs.tokens, this.bufs.logps]); // freed with their parent
    const owned = Object.values(this.bufs).filter((t) => !views.has(t));
    for (const t of [...owned, ...this.kCache, ...this.vCache]) k.free(t);
  }
}
