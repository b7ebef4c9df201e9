// The WebGPU backend: the Backend interface (src/backend/backend.ts) on hand-written WGSL kernels (shaders/).
// Every op checks its tensors (sizes, dtypes) on the host, then records one or two kernel launches into the
// current command encoder; nothing runs until read()/flush() submits. Memory, submission, device loss and
// errors are in core.ts; the shaders' headers describe each kernel's bindings and launch grid.
import { TOKEN_DATA, TOKEN_STATS, type AdamWSettings, type Backend, type GrpoLossSettings, type SampleSettings, type Tensor } from '../backend';
import { WebGpuCore, type LaunchArg } from './core';
import { acquireDevice, type DeviceRequirements } from './device';
import { KERNELS, padToWorkgroup, type KernelName } from './kernels';
import { SHADER_SOURCES, type ShaderFamily } from './shaders';
import { SHADER_STAGE_COMPUTE } from './flags';

export type WebGpuBackendOptions = DeviceRequirements;

const LAYERNORM_EPS = 1e-5;
/** Added to the norm before dividing when clipping (PyTorch's clip_grad_norm_), as the CPU backend does. */
const CLIP_NORM_EPS = 1e-6;
/** Most partial sums of globalNorm's first pass; fewer for small N so each chunk has >= 256 elements. */
const NORM_PARTS = 1024;

/** matmul.wgsl computes 8x8 output blocks per invocation. */
const blocks8 = (n: number): number => Math.ceil(n / 8);

const inF = (t: Tensor, name: string, n: number): LaunchArg => [t, name, n, 'f32', false];
const inU = (t: Tensor, name: string, n: number): LaunchArg => [t, name, n, 'u32', false];
const outF = (t: Tensor, name: string, n: number): LaunchArg => [t, name, n, 'f32', true];
const outU = (t: Tensor, name: string, n: number): LaunchArg => [t, name, n, 'u32', true];

function headSize(op: string, C: number, NH: number): number {
  const hs = C / NH;
  if (!Number.isInteger(hs) || hs <= 0) throw new RangeError(`WebGpuBackend.${op}: C=${C} is not a multiple of NH=${NH}`);
  return hs;
}

/**
 * Acquire a device, compile every pipeline up front (createComputePipelineAsync, in parallel) and return a
 * ready backend. `gpu` is navigator.gpu in a page or worker, or the Node `webgpu` package's create([]).
 */
export async function createWebGpuBackend(gpu: GPU | null | undefined, opts: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const { device, report, gpu: held } = await acquireDevice(gpu, opts);
  const t0 = performance.now();
  const modules = new Map<ShaderFamily, GPUShaderModule>();
  for (const [family, code] of Object.entries(SHADER_SOURCES) as [ShaderFamily, string][]) {
    modules.set(family, device.createShaderModule({ code, label: `misstep ${family}.wgsl` }));
  }
  // Layout k: binding 0 = uniform-ring slot (dynamic offset), bindings 1..k = read_write storage.
  const layouts: GPUBindGroupLayout[] = [];
  for (let k = 0; k <= 8; k++) {
    const entries: GPUBindGroupLayoutEntry[] = [
      { binding: 0, visibility: SHADER_STAGE_COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } },
    ];
    for (let i = 1; i <= k; i++) entries.push({ binding: i, visibility: SHADER_STAGE_COMPUTE, buffer: { type: 'storage' } });
    layouts.push(device.createBindGroupLayout({ entries, label: `misstep layout ${k}` }));
  }
  const names = Object.keys(KERNELS) as KernelName[];
  let compiled: GPUComputePipeline[];
  try {
    compiled = await Promise.all(
      names.map((name) => {
        const spec = KERNELS[name];
        const module = modules.get(spec.family);
        if (module === undefined) throw new Error(`no shader module ${spec.family}`);
        return device.createComputePipelineAsync({
          label: `misstep ${name}`,
          layout: device.createPipelineLayout({ bindGroupLayouts: [layouts[spec.storage]] }),
          compute: { module, entryPoint: spec.entry },
        });
      }),
    );
  } catch (err) {
    const details: string[] = [];
    for (const [family, module] of modules) {
      const info = await module.getCompilationInfo();
      for (const m of info.messages) if (m.type === 'error') details.push(`${family}.wgsl:${m.lineNum}:${m.linePos} ${m.message}`);
    }
    device.destroy();
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`WebGpuBackend: pipeline compilation failed: ${why}${details.length > 0 ? `\n${details.join('\n')}` : ''}`);
  }
  const pipelines = new Map(names.map((n, i) => [n, compiled[i]] as const));
  return new WebGpuBackend(held, device, report, pipelines, layouts, performance.now() - t0);
}

export class WebGpuBackend extends WebGpuCore implements Backend {
  encoderForward(out: Tensor, tokens: Tensor, wte: Tensor, wpe: Tensor | null, B: number, T: number, C: number): void {
    this.live();
    const N = B * T;
    if (N * C === 0) return;
    const V = Math.floor(wte.length / C);
    this.run('encoderForward', 'encoder_forward', { B, T, C, V, hasWpe: wpe === null ? 0 : 1 }, [
      outF(out, 'out', N * C), inU(tokens, 'tokens', N), inF(wte, 'wte', C),
      wpe === null ? inF(this.dummy, 'dummy', 0) : inF(wpe, 'wpe', T * C),
    ], N * C);
  }

  encoderBackward(dwte: Tensor, dwpe: Tensor | null, dout: Tensor, tokens: Tensor, B: number, T: number, C: number): void {
    this.live();
    const N = B * T;
    if (N * C === 0) return;
    const V = Math.floor(dwte.length / C);
    const vcPad = padToWorkgroup(V * C);
    // without a position table only the dwte job runs: the grid stops before the dwpe invocations
    this.run('encoderBackward', 'encoder_backward', { B, T, C, V, vcPad }, [
      outF(dwte, 'dwte', C), inU(tokens, 'tokens', N),
      dwpe === null ? outF(this.dummy, 'dummy', 0) : outF(dwpe, 'dwpe', T * C), inF(dout, 'dout', N * C),
    ], dwpe === null ? V * C : vcPad + T * C);
  }

  layernormForward(out: Tensor, mean: Tensor, rstd: Tensor, inp: Tensor, weight: Tensor, bias: Tensor, N: number, C: number): void {
    this.live();
    if (N * C === 0) return;
    this.run('layernormForward', 'layernorm_forward', { N, C, eps: LAYERNORM_EPS }, [
      outF(out, 'out', N * C), outF(mean, 'mean', N), outF(rstd, 'rstd', N),
      inF(inp, 'inp', N * C), inF(weight, 'weight', C), inF(bias, 'bias', C),
    ], N);
  }

  layernormBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor, dout: Tensor,
    inp: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor, N: number, C: number,
  ): void {
    this.live();
    if (N * C === 0) return;
    const rowsPad = padToWorkgroup(N);
    this.run('layernormBackward', 'layernorm_backward', { N, C, rowsPad, eps: LAYERNORM_EPS }, [
      outF(dinp, 'dinp', N * C), outF(dweight, 'dweight', C), outF(dbias, 'dbias', C), inF(dout, 'dout', N * C),
      inF(inp, 'inp', N * C), inF(weight, 'weight', C), inF(mean, 'mean', N), inF(rstd, 'rstd', N),
    ], rowsPad + C);
  }

  matmulForward(out: Tensor, inp: Tensor, weight: Tensor, bias: Tensor | null, N: number, C: number, OC: number): void {
    this.live();
    if (N * OC === 0) return;
    this.needC('matmulForward', C);
    this.run('matmulForward', C % 4 === 0 ? 'matmul_forward4' : 'matmul_forward', { N, C, OC, hasBias: bias === null ? 0 : 1 }, [
      outF(out, 'out', N * OC), inF(inp, 'inp', N * C), inF(weight, 'weight', OC * C),
      bias === null ? inF(this.dummy, 'dummy', 0) : inF(bias, 'bias', OC),
    ], blocks8(N) * blocks8(OC));
  }

  matmulBackward(
    dinp: Tensor, dweight: Tensor, dbias: Tensor | null, dout: Tensor,
    inp: Tensor, weight: Tensor, N: number, C: number, OC: number,
  ): void {
    this.live();
    if (N * OC === 0) return;
    this.needC('matmulBackward', C);
    const aPad = padToWorkgroup(blocks8(N) * blocks8(C));
    this.run('matmulBackward', C % 4 === 0 && OC % 4 === 0 ? 'matmul_backward4' : 'matmul_backward', { N, C, OC, hasBias: dbias === null ? 0 : 1, aPad }, [
      outF(dinp, 'dinp', N * C), outF(dweight, 'dweight', OC * C),
      dbias === null ? outF(this.dummy, 'dummy', 0) : outF(dbias, 'dbias', OC),
      inF(dout, 'dout', N * OC), inF(inp, 'inp', N * C), inF(weight, 'weight', OC * C),
    ], aPad + blocks8(OC) * blocks8(C));
  }

  private needC(op: string, C: number): void {
    if (!(Number.isInteger(C) && C > 0)) throw new RangeError(`WebGpuBackend.${op}: C must be a positive integer, got ${C}`);
  }

  attentionForward(out: Tensor, att: Tensor, qkv: Tensor, B: number, T: number, C: number, NH: number): void {
    this.live();
    const hs = headSize('attentionForward', C, NH);
    if (B * T === 0) return;
    this.run('attentionForward', hs === 16 ? 'attention_forward16' : 'attention_forward', { B, T, C, NH, hs, scale: 1 / Math.sqrt(hs) }, [
      outF(out, 'out', B * T * C), outF(att, 'att', B * NH * T * T), inF(qkv, 'qkv', B * T * 3 * C),
    ], B * NH * T);
  }

  attentionBackward(dqkv: Tensor, dout: Tensor, qkv: Tensor, att: Tensor, B: number, T: number, C: number, NH: number): void {
    this.live();
    const hs = headSize('attentionBackward', C, NH);
    if (B * T === 0) return;
    // dpre: the softmax-backward rows, written by the query pass and read by the key/value pass.
    const dpre = { scratch: this.rec.scratchRange('attention.dpre', B * NH * T * T * 4), write: true };
    const args: LaunchArg[] = [
      outF(dqkv, 'dqkv', B * T * 3 * C), inF(dout, 'dout', B * T * C), inF(qkv, 'qkv', B * T * 3 * C),
      inF(att, 'att', B * NH * T * T), dpre,
    ];
    // Two launches: the key/value pass reads the dpre rows the query pass wrote.
    const kernels = hs === 16 ? (['attention_backward_q16', 'attention_backward_kv16'] as const) : (['attention_backward_q', 'attention_backward_kv'] as const);
    for (const kernel of kernels) {
      this.run('attentionBackward', kernel, { B, T, C, NH, hs, scale: 1 / Math.sqrt(hs) }, args, B * NH * T);
    }
  }

  ropeForward(qkv: Tensor, table: Tensor, B: number, T: number, C: number, NH: number, pos0: number): void {
    this.rope('ropeForward', 'rope_forward', qkv, table, B, T, C, NH, pos0);
  }

  ropeBackward(dqkv: Tensor, table: Tensor, B: number, T: number, C: number, NH: number, pos0: number): void {
    this.rope('ropeBackward', 'rope_backward', dqkv, table, B, T, C, NH, pos0);
  }

  private rope(op: string, kernel: KernelName, qkv: Tensor, table: Tensor, B: number, T: number, C: number, NH: number, pos0: number): void {
    this.live();
    const hs = headSize(op, C, NH);
    if (hs % 2 !== 0) throw new RangeError(`WebGpuBackend.${op}: head size ${hs} is odd (rope rotates channel pairs)`);
    if (!(Number.isInteger(pos0) && pos0 >= 0)) throw new RangeError(`WebGpuBackend.${op}: pos0 must be a non-negative integer, got ${pos0}`);
    if (B * T === 0) return;
    this.run(op, kernel, { B, T, C, hs, pos0 }, [outF(qkv, 'qkv', B * T * 3 * C), inF(table, 'table', (pos0 + T) * hs)], B * T * C);
  }

  geluForward(out: Tensor, inp: Tensor, N: number): void {
    this.elementwise('geluForward', 'gelu_forward', N, [outF(out, 'out', N), inF(inp, 'inp', N)]);
  }

  geluBackward(dinp: Tensor, inp: Tensor, dout: Tensor, N: number): void {
    this.elementwise('geluBackward', 'gelu_backward', N, [outF(dinp, 'dinp', N), inF(inp, 'inp', N), inF(dout, 'dout', N)]);
  }

  residualForward(out: Tensor, a: Tensor, b: Tensor, N: number): void {
    this.elementwise('residualForward', 'residual_forward', N, [outF(out, 'out', N), inF(a, 'a', N), inF(b, 'b', N)]);
  }

  accumulate(dst: Tensor, src: Tensor, N: number): void {
    this.elementwise('accumulate', 'accumulate', N, [outF(dst, 'dst', N), inF(src, 'src', N)]);
  }

  private elementwise(op: string, kernel: KernelName, N: number, args: LaunchArg[]): void {
    this.live();
    if (N > 0) this.run(op, kernel, { N }, args, N);
  }

  tokenLogprobs(logp: Tensor, entropy: Tensor, logits: Tensor, targets: Tensor, N: number, V: number): void {
    this.live();
    if (N * V === 0) return;
    this.run('tokenLogprobs', 'token_logprobs', { N, V }, [
      outF(logp, 'logp', N), outF(entropy, 'entropy', N), inF(logits, 'logits', N * V), inU(targets, 'targets', N),
    ], N);
  }

  grpoLossBackward(
    dlogits: Tensor, stats: Tensor, logits: Tensor, targets: Tensor,
    tokenData: Tensor, oldLogp: Tensor, refLogp: Tensor, N: number, V: number, s: GrpoLossSettings,
  ): void {
    this.live();
    if (N * V === 0) return;
    this.run('grpoLossBackward', 'grpo_loss_backward', { N, V, epsLow: s.epsLow, epsHigh: s.epsHigh, beta: s.beta, gamma: s.gamma }, [
      outF(dlogits, 'dlogits', N * V), outF(stats, 'stats', N * TOKEN_STATS.columns), inF(logits, 'logits', N * V),
      inU(targets, 'targets', N), inF(tokenData, 'tokenData', N * TOKEN_DATA.columns), inF(oldLogp, 'oldLogp', N),
      inF(refLogp, 'refLogp', s.beta > 0 ? N : 0), // ignored (any tensor) when beta = 0
    ], N);
  }

  globalNorm(out: Tensor, grads: Tensor, N: number): void {
    this.live();
    const parts = Math.max(1, Math.min(NORM_PARTS, Math.ceil(N / 256)));
    const chunk = Math.max(1, Math.ceil(N / parts));
    const partials = this.rec.scratchRange('norm.partials', NORM_PARTS * 4);
    const params = { N, nParts: parts, chunk };
    this.run('globalNorm', 'norm_partial', params, [{ scratch: partials, write: true }, inF(grads, 'grads', N)], parts);
    this.run('globalNorm', 'norm_final', params, [outF(out, 'out', 1), { scratch: partials, write: false }], 1);
  }

  adamW(params: Tensor, grads: Tensor, m: Tensor, v: Tensor, decayMask: Tensor, norm: Tensor, N: number, s: AdamWSettings): void {
    this.live();
    if (!(s.step >= 1)) throw new RangeError(`WebGpuBackend.adamW: step must be >= 1 (1-based), got ${s.step}`);
    if (N === 0) return;
    const maskIsF32 = decayMask.dtype === 'f32' ? 1 : 0;
    this.run('adamW', 'adamw', {
      N, maskIsF32, lr: s.lr, beta1: s.beta1, oneMinusBeta1: 1 - s.beta1, beta2: s.beta2, oneMinusBeta2: 1 - s.beta2, eps: s.eps,
      weightDecay: s.weightDecay, bc1: 1 - Math.pow(s.beta1, s.step), bc2: 1 - Math.pow(s.beta2, s.step), maxGradNorm: s.maxGradNorm,
      clipEps: CLIP_NORM_EPS,
    }, [
      outF(params, 'params', N), inF(grads, 'grads', N), outF(m, 'm', N), outF(v, 'v', N),
      [decayMask, 'decayMask', N, null, false], inF(norm, 'norm', 1),
    ], N);
  }

  encoderForwardAt(out: Tensor, tokens: Tensor, wte: Tensor, wpe: Tensor | null, B: number, C: number, Tseq: number, pos: number): void {
    this.live();
    if (!(Number.isInteger(pos) && pos >= 0 && pos < Tseq)) throw new RangeError(`WebGpuBackend.encoderForwardAt: pos ${pos} outside 0..${Tseq - 1}`);
    if (B * C === 0) return;
    const V = Math.floor(wte.length / C);
    this.run('encoderForwardAt', 'encoder_at', { B, C, Tseq, pos, V, hasWpe: wpe === null ? 0 : 1 }, [
      outF(out, 'out', B * C), inU(tokens, 'tokens', B * Tseq), inF(wte, 'wte', C),
      wpe === null ? inF(this.dummy, 'dummy', 0) : inF(wpe, 'wpe', (pos + 1) * C),
    ], B * C);
  }

  attentionDecode(out: Tensor, kCache: Tensor, vCache: Tensor, qkv: Tensor, B: number, C: number, NH: number, Tmax: number, pos: number): void {
    this.live();
    const hs = headSize('attentionDecode', C, NH);
    if (!(Number.isInteger(pos) && pos >= 0 && pos < Tmax)) throw new RangeError(`WebGpuBackend.attentionDecode: pos ${pos} outside the cache of ${Tmax}`);
    if (B === 0) return;
    const cache = B * NH * Tmax * hs;
    this.run('attentionDecode', hs === 16 ? 'attention_decode16' : 'attention_decode', { B, C, pos, NH, Tmax, hs, scale: 1 / Math.sqrt(hs) }, [
      outF(out, 'out', B * C), outF(kCache, 'kCache', cache), outF(vCache, 'vCache', cache), inF(qkv, 'qkv', B * 3 * C),
    ], B * NH);
  }

  sampleNext(tokens: Tensor, logps: Tensor, logits: Tensor, promptLen: Tensor, B: number, V: number, Tseq: number, pos: number, s: SampleSettings): void {
    this.live();
    if (!(s.temperature > 0)) throw new RangeError(`WebGpuBackend.sampleNext: temperature must be > 0, got ${s.temperature}`);
    if (pos + 1 >= Tseq || B === 0) return; // nothing to choose: no launch at all
    this.run('sampleNext', 'sample_next', {
      B, V, Tseq, pos, topK: s.topK, seed: s.seed >>> 0, step: s.step >>> 0, rowOffset: s.rowOffset >>> 0, invTemperature: 1 / s.temperature,
    }, [
      outU(tokens, 'tokens', B * Tseq), outF(logps, 'logps', B * Tseq), inF(logits, 'logits', B * V), inU(promptLen, 'promptLen', B),
    ], B);
  }

  /**
   * Not a Backend op: the WGSL counter-based RNG for `count` consecutive rows, as pairs
   * [hash4(seed, step, rowOffset + i, pos), bits of the f32 uniform]. For the parity tests with rng.ts.
   */
  async rngBits(seed: number, step: number, rowOffset: number, pos: number, count: number): Promise<Uint32Array> {
    this.live();
    const out = this.alloc(2 * count, 'u32', 'rngBits');
    this.run('rngBits', 'rng_uniform', { pos: pos >>> 0, seed: seed >>> 0, step: step >>> 0, rowOffset: rowOffset >>> 0, count, invTemperature: 1 },
      [outU(out, 'out', 2 * count)], count);
    const bits = await this.read(out);
    this.free(out);
    return bits as Uint32Array;
  }
}
