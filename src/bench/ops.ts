// Per-op timings on any Backend, at the shapes the model uses: each case allocates its tensors once, then
// records the op `inner` times and flushes; the median over repeats of (time / inner) is reported.
// The same code runs on the CPU backend and on WebGPU (Node or a browser Web Worker).
import type { Backend, Tensor } from '../backend/backend';
import { Rng } from '../backend/rng';
import { paramLayout } from '../model/layout';
import { ropeTable } from '../model/rope';
import type { BenchShapes } from './shapes';
import { timeMedian, yieldToLoop } from './timing';

export interface OpRow {
  op: string;
  shape: string;
  backend: 'cpu' | 'webgpu';
  ms: number;
  gflops: number; // useful floating-point work per second (the op's nominal FLOPs / time)
  gbps: number; // bytes the op must read + write at least, per second
  peak_fraction: number; // gflops / the backend's FMA peak (filled in by the caller)
}

interface OpCase {
  op: string;
  shape: string;
  flops: number;
  bytes: number;
  /** Allocate inputs and return the recorder of one launch. */
  setup(a: CaseTensors): () => void;
}

/** The tensors of one case: zero-filled or random, all freed together afterwards. */
export class CaseTensors {
  private readonly held: Tensor[] = [];
  constructor(readonly k: Backend, readonly rng: Rng) {}

  zeros(n: number, dtype: 'f32' | 'u32' = 'f32'): Tensor {
    const t = this.k.alloc(n, dtype, 'bench');
    this.held.push(t);
    return t;
  }

  rand(n: number, scale = 1): Tensor {
    const t = this.zeros(n);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.rng.normal() * scale;
    this.k.write(t, a);
    return t;
  }

  ints(n: number, hi: number): Tensor {
    const t = this.zeros(n, 'u32');
    const a = new Uint32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.rng.int(0, hi - 1);
    this.k.write(t, a);
    return t;
  }

  fill(n: number, value: number, dtype: 'f32' | 'u32' = 'f32'): Tensor {
    const t = this.zeros(n, dtype);
    this.k.write(t, dtype === 'f32' ? new Float32Array(n).fill(value) : new Uint32Array(n).fill(value));
    return t;
  }

  free(): void {
    for (const t of this.held) this.k.free(t);
    this.held.length = 0;
  }
}

function matmulCases(label: string, N: number, C: number, OC: number, bias: boolean): OpCase[] {
  const shape = `${label} N=${N} C=${C} OC=${OC}`;
  return [
    {
      op: 'matmul_forward', shape, flops: 2 * N * C * OC, bytes: 4 * (N * C + OC * C + N * OC),
      setup(a) {
        const k = a.k;
        const out = a.zeros(N * OC), inp = a.rand(N * C), w = a.rand(OC * C, 0.1), b = bias ? a.rand(OC) : null;
        return () => k.matmulForward(out, inp, w, b, N, C, OC);
      },
    },
    {
      op: 'matmul_backward', shape, flops: 4 * N * C * OC, bytes: 4 * (2 * N * C + 2 * OC * C + N * OC),
      setup(a) {
        const k = a.k;
        const dinp = a.zeros(N * C), dw = a.zeros(OC * C), db = bias ? a.zeros(OC) : null;
        const dout = a.rand(N * OC, 0.01), inp = a.rand(N * C), w = a.rand(OC * C, 0.1);
        return () => k.matmulBackward(dinp, dw, db, dout, inp, w, N, C, OC);
      },
    },
  ];
}

/** Every op of one training step and one decode step, at the given shapes. */
export function opCases(s: BenchShapes): OpCase[] {
  const { nEmbd: C, nHead: NH, vocabSize: V } = s.cfg;
  const { B, T } = s;
  const N = B * T;
  const attFlops = 4 * B * NH * ((T * (T + 1)) / 2) * (C / NH); // q.k and att@v over the causal half
  const cases: OpCase[] = [
    ...matmulCases('qkv', N, C, 3 * C, true),
    ...matmulCases('attproj', N, C, C, true),
    ...matmulCases('fc', N, C, 4 * C, true),
    ...matmulCases('fcproj', N, 4 * C, C, true),
    ...matmulCases('lm_head', N, C, V, false),
    {
      op: 'attention_forward', shape: `B=${B} T=${T} C=${C} NH=${NH}`, flops: attFlops,
      bytes: 4 * (N * 3 * C + N * C + B * NH * T * T),
      setup(a) {
        const k = a.k;
        const out = a.zeros(N * C), att = a.zeros(B * NH * T * T), qkv = a.rand(N * 3 * C);
        return () => k.attentionForward(out, att, qkv, B, T, C, NH);
      },
    },
    {
      op: 'attention_backward', shape: `B=${B} T=${T} C=${C} NH=${NH}`, flops: 2 * attFlops,
      bytes: 4 * (2 * N * 3 * C + N * C + B * NH * T * T),
      setup(a) {
        const k = a.k;
        const out = a.zeros(N * C), att = a.zeros(B * NH * T * T), qkv = a.rand(N * 3 * C);
        k.attentionForward(out, att, qkv, B, T, C, NH);
        const dqkv = a.zeros(N * 3 * C), dout = a.rand(N * C, 0.01);
        return () => k.attentionBackward(dqkv, dout, qkv, att, B, T, C, NH);
      },
    },
    ...ropeCases(s),
    {
      op: 'layernorm_forward', shape: `N=${N} C=${C}`, flops: 8 * N * C, bytes: 4 * (2 * N * C + 2 * N + 2 * C),
      setup(a) {
        const k = a.k;
        const out = a.zeros(N * C), mean = a.zeros(N), rstd = a.zeros(N), inp = a.rand(N * C), w = a.rand(C), b = a.rand(C);
        return () => k.layernormForward(out, mean, rstd, inp, w, b, N, C);
      },
    },
    {
      op: 'layernorm_backward', shape: `N=${N} C=${C}`, flops: 16 * N * C, bytes: 4 * (4 * N * C + 2 * N + 3 * C),
      setup(a) {
        const k = a.k;
        const out = a.zeros(N * C), mean = a.zeros(N), rstd = a.zeros(N), inp = a.rand(N * C), w = a.rand(C), b = a.rand(C);
        k.layernormForward(out, mean, rstd, inp, w, b, N, C);
        const dinp = a.zeros(N * C), dw = a.zeros(C), db = a.zeros(C), dout = a.rand(N * C, 0.01);
        return () => k.layernormBackward(dinp, dw, db, dout, inp, w, mean, rstd, N, C);
      },
    },
    {
      op: 'gelu_forward', shape: `N=${N * 4 * C}`, flops: 12 * N * 4 * C, bytes: 8 * N * 4 * C,
      setup(a) {
        const k = a.k;
        const out = a.zeros(N * 4 * C), inp = a.rand(N * 4 * C);
        return () => k.geluForward(out, inp, N * 4 * C);
      },
    },
    {
      op: 'grpo_loss', shape: `N=${N} V=${V}`, flops: 8 * N * V, bytes: 4 * (2 * N * V + 10 * N),
      setup(a) {
        const k = a.k;
        const dl = a.zeros(N * V), stats = a.zeros(N * 4), logits = a.rand(N * V), targets = a.ints(N, V);
        const td = a.zeros(N * 3);
        k.write(td, Float32Array.from({ length: N * 3 }, (_, i) => (i % 3 === 0 ? a.rng.normal() : i % 3 === 1 ? 1 / N : 0)));
        const old = a.rand(N, 0.1), ref = a.rand(N, 0.1);
        const ls = { epsLow: 0.2, epsHigh: 0.2, beta: 0.04, gamma: 0.1 };
        return () => k.grpoLossBackward(dl, stats, logits, targets, td, old, ref, N, V, ls);
      },
    },
  ];
  return [...cases, ...optimizerAndDecodeCases(s)];
}

/**
 * RoPE on q and k in place, forward and backward (one kernel, the angle's sign differs): 6 flops per channel
 * pair, the q and k thirds read and written plus their [cos, sin] pairs. Measured whatever the model's
 * positions, so the cost of rotary positions is on record next to the ops it sits between.
 */
function ropeCases(s: BenchShapes): OpCase[] {
  const { nEmbd: C, nHead: NH, maxT } = s.cfg;
  const { B, T } = s;
  const N = B * T;
  const table = ropeTable(maxT, C / NH);
  return (['forward', 'backward'] as const).map((dir) => ({
    op: `rope_${dir}`, shape: `B=${B} T=${T} C=${C} NH=${NH}`, flops: 6 * N * C, bytes: 4 * (4 * N * C + N * C),
    setup(a: CaseTensors) {
      const k = a.k;
      const qkv = a.rand(N * 3 * C), tab = a.zeros(table.length);
      k.write(tab, table);
      return dir === 'forward' ? () => k.ropeForward(qkv, tab, B, T, C, NH, 0) : () => k.ropeBackward(qkv, tab, B, T, C, NH, 0);
    },
  }));
}

function optimizerAndDecodeCases(s: BenchShapes): OpCase[] {
  const { nEmbd: C, nHead: NH, vocabSize: V, maxT } = s.cfg;
  const P = paramLayout(s.cfg).total; // the model's flat parameter buffer (aligned views)
  const Bd = s.decodeB;
  const pos = s.decodePos;
  const hs = C / NH;
  return [
    {
      op: 'adamw', shape: `P=${P} (global norm + AdamW)`, flops: 16 * P, bytes: 4 * 9 * P,
      setup(a) {
        const k = a.k;
        const params = a.rand(P, 0.02), grads = a.rand(P, 1e-3), m = a.zeros(P), v = a.zeros(P), mask = a.fill(P, 1), norm = a.zeros(1);
        let step = 0;
        return () => {
          k.globalNorm(norm, grads, P);
          k.adamW(params, grads, m, v, mask, norm, P, { lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: ++step, maxGradNorm: 1 });
        };
      },
    },
    ...matmulCases('decode qkv', Bd, C, 3 * C, true).slice(0, 1),
    {
      op: 'attention_decode', shape: `B=${Bd} pos=${pos} C=${C} NH=${NH}`, flops: 4 * Bd * NH * (pos + 1) * hs,
      bytes: 4 * (2 * Bd * NH * (pos + 1) * hs + 4 * Bd * C),
      setup(a) {
        const k = a.k;
        const out = a.zeros(Bd * C), kc = a.rand(Bd * NH * maxT * hs), vc = a.rand(Bd * NH * maxT * hs), qkv = a.rand(Bd * 3 * C);
        return () => k.attentionDecode(out, kc, vc, qkv, Bd, C, NH, maxT, pos);
      },
    },
    {
      op: 'sample_next', shape: `B=${Bd} V=${V} top-k 0`, flops: 6 * Bd * V, bytes: 4 * (Bd * V + 3 * Bd),
      setup(a) {
        const k = a.k;
        const Tseq = maxT;
        const tokens = a.ints(Bd * Tseq, 3), logps = a.zeros(Bd * Tseq), logits = a.rand(Bd * V, 2), pl = a.fill(Bd, 1, 'u32');
        let step = 0;
        return () => k.sampleNext(tokens, logps, logits, pl, Bd, V, Tseq, pos, { temperature: 1, topK: 0, seed: 7, step: step++, rowOffset: 0 });
      },
    },
  ];
}

export interface OpBenchOptions {
  reps: number;
  targetMs: number; // aim for about this long per measured repeat (the op is recorded `inner` times)
  filter?: (op: string) => boolean;
}

/** Time every case on one backend. Tensors come from a scratch allocation that is freed afterwards. */
export async function runOpBench(k: Backend, s: BenchShapes, o: OpBenchOptions): Promise<OpRow[]> {
  const rows: OpRow[] = [];
  const rng = new Rng(0xbe4c);
  for (const c of opCases(s)) {
    if (o.filter && !o.filter(c.op)) continue;
    const tensors = new CaseTensors(k, rng);
    const run = c.setup(tensors);
    // one timed launch (after a warm one) sizes `inner` so a repeat takes about targetMs
    run();
    await k.flush();
    const t0 = performance.now();
    run();
    await k.flush();
    const once = Math.max(0.01, performance.now() - t0);
    const inner = Math.max(1, Math.min(64, Math.round(o.targetMs / once)));
    const total = await timeMedian(async () => {
      for (let i = 0; i < inner; i++) run();
      await k.flush();
    }, { warmup: 0, reps: o.reps, budgetMs: o.targetMs * o.reps * 2 });
    const ms = total / inner;
    rows.push({ op: c.op, shape: c.shape, backend: k.name, ms, gflops: c.flops / ms / 1e6, gbps: c.bytes / ms / 1e6, peak_fraction: 0 });
    tensors.free();
    await yieldToLoop();
  }
  return rows;
}
