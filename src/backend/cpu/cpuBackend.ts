// CpuBackend: the reference implementation of the Backend interface in plain TypeScript. Every op runs at
// once, synchronously, by delegating to the pure functions in ./ops after checking its arguments.
// Counters: every enqueued operation (zero, copy and each forward/backward/optimizer/decode op) counts as one
// dispatch; read and flush count as one submit each; read counts one readback of the tensor's bytes.

import {
  TOKEN_DATA, TOKEN_STATS, VIEW_ALIGN, type AdamWSettings, type Backend, type BackendCounters, type DType, type GrpoLossSettings,
  type SampleSettings, type Tensor,
} from '../backend';
import { CpuAllocation, CpuTensor, OpArgs, checkCount, newArray, type CpuArray } from './cpuTensor';
import { adamW, globalNorm } from './ops/adamw';
import { attentionBackward, attentionForward } from './ops/attention';
import { attentionDecode, encoderForwardAt } from './ops/decode';
import { encoderBackward, encoderForward } from './ops/encoder';
import { geluBackward, geluForward } from './ops/gelu';
import { grpoLossBackward } from './ops/grpoLoss';
import { layernormBackward, layernormForward } from './ops/layernorm';
import { tokenLogprobs } from './ops/logprob';
import { matmulBackward, matmulForward } from './ops/matmul';
import { accumulate, residualForward } from './ops/residual';
import { ropeBackward, ropeForward } from './ops/rope';
import { sampleNext } from './ops/sample';

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  private readonly live = new Set<CpuAllocation>();
  private destroyed = false;
  private readonly count: BackendCounters = { dispatches: 0, submits: 0, readbacks: 0, readbackBytes: 0, bytesHeld: 0 };

  /** Argument checks for one call; ops add `this.count.dispatches++` once they have run (failed calls don't count). */
  private args(op: string): OpArgs {
    if (this.destroyed) throw new Error(`${op}: the backend was destroyed`);
    return new OpArgs(this, op);
  }

  // ---- memory ----

  alloc(length: number, dtype: DType = 'f32', label = 'tensor'): Tensor {
    this.args('alloc');
    checkCount('alloc', 'length', length);
    const data = newArray(dtype, length);
    const allocation = new CpuAllocation(this, data.byteLength);
    this.live.add(allocation);
    this.count.bytesHeld += allocation.bytes;
    return new CpuTensor(data, dtype, label, allocation, 0, false);
  }

  view(t: Tensor, offset: number, length: number, label?: string, dtype?: DType): Tensor {
    const parent = this.args('view').tensor('t', t);
    checkCount('view', 'offset', offset);
    checkCount('view', 'length', length);
    if (offset % VIEW_ALIGN !== 0) {
      throw new RangeError(`view of '${t.label}': offset ${offset} is not a multiple of VIEW_ALIGN (${VIEW_ALIGN})`);
    }
    if (offset + length > parent.length) {
      throw new RangeError(`view of '${t.label}': [${offset}, ${offset + length}) exceeds its length ${parent.length}`);
    }
    const sub = parent.data.subarray(offset, offset + length);
    const kind = dtype ?? parent.dtype;
    // a view of another dtype reinterprets the same bytes (e.g. tokens and log-probs read back together)
    const data = kind === parent.dtype ? sub : kind === 'f32'
      ? new Float32Array(sub.buffer, sub.byteOffset, length) : new Uint32Array(sub.buffer, sub.byteOffset, length);
    return new CpuTensor(data, kind, label ?? `${parent.label}[${offset}:${offset + length}]`,
      parent.allocation, parent.offset + offset, true);
  }

  write(t: Tensor, data: Float32Array | Uint32Array, offset = 0): void {
    const dst = this.args('write').tensor('t', t);
    checkCount('write', 'offset', offset);
    const dataType: DType = data instanceof Float32Array ? 'f32' : 'u32';
    if (dataType !== dst.dtype) throw new TypeError(`write to '${t.label}': ${dataType} data into a ${dst.dtype} tensor`);
    if (offset + data.length > dst.length) {
      throw new RangeError(`write to '${t.label}': [${offset}, ${offset + data.length}) exceeds its length ${dst.length}`);
    }
    dst.data.set(data, offset);
  }

  read(t: Tensor): Promise<CpuArray> {
    const src = this.args('read').tensor('t', t);
    this.count.submits++;
    this.count.readbacks++;
    this.count.readbackBytes += src.data.byteLength;
    return Promise.resolve(src.data.slice());
  }

  zero(t: Tensor): void {
    this.args('zero').tensor('t', t).data.fill(0);
    this.count.dispatches++;
  }

  copy(dst: Tensor, src: Tensor): void {
    const a = this.args('copy');
    const d = a.tensor('dst', dst);
    const s = a.tensor('src', src);
    if (d.dtype !== s.dtype) throw new TypeError(`copy: dtypes differ (dst ${d.dtype}, src ${s.dtype})`);
    if (s.length > d.length) throw new RangeError(`copy: src has ${s.length} elements, dst only ${d.length}`);
    d.data.set(s.data);
    this.count.dispatches++;
  }

  flush(): Promise<void> {
    this.args('flush');
    this.count.submits++;
    return Promise.resolve();
  }

  free(t: Tensor): void {
    const ct = this.args('free').tensor('t', t);
    if (ct.isView) throw new Error(`free: '${t.label}' is a view; free its parent`);
    ct.allocation.freed = true;
    this.live.delete(ct.allocation);
    this.count.bytesHeld -= ct.allocation.bytes;
  }

  counters(): BackendCounters {
    return { ...this.count };
  }

  destroy(): void {
    for (const allocation of this.live) allocation.freed = true;
    this.live.clear();
    this.count.bytesHeld = 0;
    this.destroyed = true;
  }

  // ---- forward / backward ops ----

  encoderForward(out: Tensor, tokens: Tensor, wte: Tensor, wpe: Tensor | null, B: number, T: number, C: number): void {
    const a = this.args('encoderForward').dims({ B, T, C });
    encoderForward(a.f32('out', out, B * T * C), a.u32('tokens', tokens, B * T), a.f32('wte', wte, C),
      a.f32OrNull('wpe', wpe, T * C), B, T, C);
    this.count.dispatches++;
  }

  encoderBackward(dwte: Tensor, dwpe: Tensor | null, dout: Tensor, tokens: Tensor, B: number, T: number, C: number): void {
    const a = this.args('encoderBackward').dims({ B, T, C });
    encoderBackward(a.f32('dwte', dwte, C), a.f32OrNull('dwpe', dwpe, T * C), a.f32('dout', dout, B * T * C),
      a.u32('tokens', tokens, B * T), B, T, C);
    this.count.dispatches++;
  }

  layernormForward(out: Tensor, mean: Tensor, rstd: Tensor, inp: Tensor, weight: Tensor, bias: Tensor, N: number, C: number): void {
    const a = this.args('layernormForward').dims({ N, C });
    layernormForward(a.f32('out', out, N * C), a.f32('mean', mean, N), a.f32('rstd', rstd, N), a.f32('inp', inp, N * C),
      a.f32('weight', weight, C), a.f32('bias', bias, C), N, C);
    this.count.dispatches++;
  }

  layernormBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor, dout: Tensor,
    inp: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor, N: number, C: number,
  ): void {
    const a = this.args('layernormBackward').dims({ N, C });
    layernormBackward(a.f32('dinp', dinp, N * C), a.f32('dweight', dweight, C), a.f32('dbias', dbias, C),
      a.f32('dout', dout, N * C), a.f32('inp', inp, N * C), a.f32('weight', weight, C), a.f32('mean', mean, N),
      a.f32('rstd', rstd, N), N, C);
    this.count.dispatches++;
  }

  matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor | null, N: number, C: number, OC: number): void {
    const a = this.args('matmulForward').dims({ N, C, OC });
    matmulForward(a.f32('out', out, N * OC), a.f32('inp', inp, N * C), a.f32('weight', weight, OC * C),
      a.f32OrNull('bias', bias, OC), N, C, OC);
    this.count.dispatches++;
  }

  matmulBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor | null, dout: Tensor,
    inp: Tensor, weight: Tensor, N: number, C: number, OC: number,
  ): void {
    const a = this.args('matmulBackward').dims({ N, C, OC });
    matmulBackward(a.f32('dinp', dinp, N * C), a.f32('dweight', dweight, OC * C), a.f32OrNull('dbias', dbias, OC),
      a.f32('dout', dout, N * OC), a.f32('inp', inp, N * C), a.f32('weight', weight, OC * C), N, C, OC);
    this.count.dispatches++;
  }

  attentionForward(out: Tensor, att: Tensor, qkv: Tensor, B: number, T: number, C: number, NH: number): void {
    const a = this.args('attentionForward').dims({ B, T, C, NH });
    attentionForward(a.f32('out', out, B * T * C), a.f32('att', att, B * NH * T * T), a.f32('qkv', qkv, B * T * 3 * C),
      B, T, C, NH);
    this.count.dispatches++;
  }

  attentionBackward(dqkv: Tensor, dout: Tensor, qkv: Tensor, att: Tensor, B: number, T: number, C: number, NH: number): void {
    const a = this.args('attentionBackward').dims({ B, T, C, NH });
    attentionBackward(a.f32('dqkv', dqkv, B * T * 3 * C), a.f32('dout', dout, B * T * C),
      a.f32('qkv', qkv, B * T * 3 * C), a.f32('att', att, B * NH * T * T), B, T, C, NH);
    this.count.dispatches++;
  }

  ropeForward(qkv: Tensor, table: Tensor, B: number, T: number, C: number, NH: number, pos0: number): void {
    const a = this.args('ropeForward').dims({ B, T, C, NH, pos0 });
    ropeForward(a.f32('qkv', qkv, B * T * 3 * C), a.f32('table', table, (pos0 + T) * (C / NH)), B, T, C, NH, pos0);
    this.count.dispatches++;
  }

  ropeBackward(dqkv: Tensor, table: Tensor, B: number, T: number, C: number, NH: number, pos0: number): void {
    const a = this.args('ropeBackward').dims({ B, T, C, NH, pos0 });
    ropeBackward(a.f32('dqkv', dqkv, B * T * 3 * C), a.f32('table', table, (pos0 + T) * (C / NH)), B, T, C, NH, pos0);
    this.count.dispatches++;
  }

  geluForward(out: Tensor, inp: Tensor, N: number): void {
    const a = this.args('geluForward').dims({ N });
    geluForward(a.f32('out', out, N), a.f32('inp', inp, N), N);
    this.count.dispatches++;
  }

  geluBackward(dinp: Tensor, inp: Tensor, dout: Tensor, N: number): void {
    const a = this.args('geluBackward').dims({ N });
    geluBackward(a.f32('dinp', dinp, N), a.f32('inp', inp, N), a.f32('dout', dout, N), N);
    this.count.dispatches++;
  }

  residualForward(out: Tensor, a: Tensor, b: Tensor, N: number): void {
    const args = this.args('residualForward').dims({ N });
    residualForward(args.f32('out', out, N), args.f32('a', a, N), args.f32('b', b, N), N);
    this.count.dispatches++;
  }

  accumulate(dst: Tensor, src: Tensor, N: number): void {
    const a = this.args('accumulate').dims({ N });
    accumulate(a.f32('dst', dst, N), a.f32('src', src, N), N);
    this.count.dispatches++;
  }

  tokenLogprobs(logp: Tensor, entropy: Tensor, logits: Tensor, targets: Tensor, N: number, V: number): void {
    const a = this.args('tokenLogprobs').dims({ N, V });
    tokenLogprobs(a.f32('logp', logp, N), a.f32('entropy', entropy, N), a.f32('logits', logits, N * V),
      a.u32('targets', targets, N), N, V);
    this.count.dispatches++;
  }

  grpoLossBackward(
    dlogits: Tensor, stats: Tensor, logits: Tensor, targets: Tensor,
    tokenData: Tensor, oldLogp: Tensor, refLogp: Tensor, N: number, V: number, settings: GrpoLossSettings,
  ): void {
    const a = this.args('grpoLossBackward').dims({ N, V });
    grpoLossBackward(a.f32('dlogits', dlogits, N * V), a.f32('stats', stats, N * TOKEN_STATS.columns),
      a.f32('logits', logits, N * V), a.u32('targets', targets, N), a.f32('tokenData', tokenData, N * TOKEN_DATA.columns),
      a.f32('oldLogp', oldLogp, N), a.f32('refLogp', refLogp, N), N, V, settings);
    this.count.dispatches++;
  }

  globalNorm(out: Tensor, grads: Tensor, N: number): void {
    const a = this.args('globalNorm').dims({ N });
    globalNorm(a.f32('out', out, 1), a.f32('grads', grads, N), N);
    this.count.dispatches++;
  }

  adamW(params: Tensor, grads: Tensor, m: Tensor, v: Tensor, decayMask: Tensor, norm: Tensor, N: number, s: AdamWSettings): void {
    const a = this.args('adamW').dims({ N });
    adamW(a.f32('params', params, N), a.f32('grads', grads, N), a.f32('m', m, N), a.f32('v', v, N),
      a.f32OrU32('decayMask', decayMask, N), a.f32('norm', norm, 1), N, s);
    this.count.dispatches++;
  }

  // ---- incremental decode ----

  encoderForwardAt(out: Tensor, tokens: Tensor, wte: Tensor, wpe: Tensor | null, B: number, C: number, Tseq: number, pos: number): void {
    const a = this.args('encoderForwardAt').dims({ B, C, Tseq, pos });
    encoderForwardAt(a.f32('out', out, B * C), a.u32('tokens', tokens, B * Tseq), a.f32('wte', wte, C),
      a.f32OrNull('wpe', wpe, (pos + 1) * C), B, C, Tseq, pos);
    this.count.dispatches++;
  }

  attentionDecode(
    out: Tensor, kCache: Tensor, vCache: Tensor, qkv: Tensor,
    B: number, C: number, NH: number, Tmax: number, pos: number,
  ): void {
    const a = this.args('attentionDecode').dims({ B, C, NH, Tmax, pos });
    attentionDecode(a.f32('out', out, B * C), a.f32('kCache', kCache, B * Tmax * C), a.f32('vCache', vCache, B * Tmax * C),
      a.f32('qkv', qkv, B * 3 * C), B, C, NH, Tmax, pos);
    this.count.dispatches++;
  }

  sampleNext(
    tokens: Tensor, logps: Tensor, logits: Tensor, promptLen: Tensor,
    B: number, V: number, Tseq: number, pos: number, s: SampleSettings,
  ): void {
    const a = this.args('sampleNext').dims({ B, V, Tseq, pos });
    sampleNext(a.u32('tokens', tokens, B * Tseq), a.f32('logps', logps, B * Tseq), a.f32('logits', logits, B * V),
      a.u32('promptLen', promptLen, B), B, V, Tseq, pos, s);
    this.count.dispatches++;
  }
}
