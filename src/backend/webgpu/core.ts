// The device-facing half of the WebGPU backend: memory (tensors, views, writes, reads), submission, counters,
// device loss and GPU errors. The ops are in webgpuBackend.ts (WebGpuBackend extends this class).
// See recorder.ts for the uniform ring, upload arena, bind-group cache and readback pool.
import { VIEW_ALIGN, type BackendCounters, type DType, type Tensor } from '../backend';
import type { AdapterReport } from './device';
import { grid1D, KERNELS, type KernelName } from './kernels';
import { packParams } from './params';
import { Recorder, type Bind, type Range } from './recorder';
import { GpuTensor, TENSOR_USAGE, bufferBytes } from './tensor';

/** Why the device went away. `byDestroy` is true when the backend's destroy() caused it. */
export interface DeviceLoss {
  reason: string;
  message: string;
  byDestroy: boolean;
}

/** A launch argument: a checked tensor [tensor, name, elements needed, dtype or null, written] or scratch. */
export type LaunchArg = readonly [Tensor, string, number, DType | null, boolean] | { scratch: Range; write: boolean };

export class WebGpuCore {
  readonly name = 'webgpu' as const;
  /** Resolves when the device is lost (or destroyed); every later call then throws. */
  readonly lost: Promise<DeviceLoss>;
  protected readonly rec: Recorder;
  protected readonly dummy: GpuTensor; // bound in place of a null bias
  private readonly roots = new Set<GpuTensor>();
  private nextId = 1;
  private tensorBytes = 0;
  private loss: DeviceLoss | null = null;
  private destroyed = false;
  private readonly lostListeners: ((loss: DeviceLoss) => void)[] = [];
  private readonly uncaptured: string[] = [];
  private readonly errorListeners: ((message: string) => void)[] = [];

  constructor(
    /**
     * The injected GPU object, held for the backend's lifetime: Node's `webgpu` binding crashes the process
     * if the object returned by create() is garbage-collected while its devices are in use.
     */
    readonly gpu: GPU,
    readonly device: GPUDevice,
    readonly adapter: AdapterReport,
    pipelines: ReadonlyMap<KernelName, GPUComputePipeline>,
    layouts: readonly GPUBindGroupLayout[],
    /** Milliseconds spent compiling all pipelines in the factory. */
    readonly compileMs: number,
  ) {
    this.lost = device.lost.then((info) => {
      this.loss = { reason: info.reason, message: info.message, byDestroy: this.destroyed };
      for (const cb of this.lostListeners) cb(this.loss);
      return this.loss;
    });
    const lostSignal = this.lost.then((l): never => {
      throw new Error(this.lossMessage(l));
    });
    lostSignal.catch(() => undefined); // handled by whoever races it; never an unhandled rejection
    device.addEventListener('uncapturederror', (ev) => {
      const message = ev.error.message;
      this.uncaptured.push(message);
      for (const cb of this.errorListeners) cb(message);
    });
    this.rec = new Recorder(device, pipelines, layouts, lostSignal);
    this.dummy = this.allocTensor(64, 'f32', 'dummy');
  }

  private lossMessage(l: DeviceLoss): string {
    return l.byDestroy
      ? 'WebGpuBackend: the backend was destroyed (device lost: destroyed); create a new one'
      : `WebGpuBackend: the GPU device was lost (reason: ${l.reason || 'unknown'}): ${l.message}. Every later call fails; create a new backend`;
  }

  /** Call `cb` when the device is lost; returns an unsubscribe function. */
  onDeviceLost(cb: (loss: DeviceLoss) => void): () => void {
    if (this.loss !== null) cb(this.loss);
    else this.lostListeners.push(cb);
    return () => {
      const i = this.lostListeners.indexOf(cb);
      if (i >= 0) this.lostListeners.splice(i, 1);
    };
  }

  /** Call `cb` with the message of every GPU error not caught by the per-submit error scopes. */
  onError(cb: (message: string) => void): void {
    this.errorListeners.push(cb);
  }

  protected live(): void {
    if (this.destroyed) throw new Error('WebGpuBackend: the backend was destroyed; create a new one');
    if (this.loss !== null) throw new Error(this.lossMessage(this.loss));
  }

  private async checkErrors(): Promise<void> {
    const scoped = await this.rec.takeSubmitErrors();
    const first = scoped?.message ?? this.uncaptured[0];
    this.uncaptured.length = 0;
    if (first !== undefined) throw new Error(`WebGpuBackend: GPU error in submitted work: ${first}`);
  }

  // ---- memory ----

  protected tensor(t: Tensor, what: string): GpuTensor {
    if (!(t instanceof GpuTensor) || t.owner !== this) throw new TypeError(`WebGpuBackend.${what}: tensor "${t.label}" does not belong to this backend`);
    if (t.freed) throw new Error(`WebGpuBackend.${what}: tensor "${t.label}" was freed`);
    return t;
  }

  alloc(length: number, dtype: DType = 'f32', label = 'tensor'): Tensor {
    return this.allocTensor(length, dtype, label);
  }

  private allocTensor(length: number, dtype: DType, label: string): GpuTensor {
    this.live();
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`WebGpuBackend.alloc: bad length ${length}`);
    const size = bufferBytes(length);
    const max = this.device.limits.maxBufferSize;
    if (size > max) throw new RangeError(`WebGpuBackend.alloc: "${label}" needs ${size} bytes, the device allows ${max} (raise maxBufferBytes)`);
    // mappedAtCreation is not needed: new WebGPU buffers are zero-filled by the spec.
    const buffer = this.device.createBuffer({ size, usage: TENSOR_USAGE, label });
    const t = new GpuTensor(this, length, dtype, label, buffer, this.nextId++, 0, null);
    this.roots.add(t);
    this.tensorBytes += size;
    return t;
  }

  /** A view of the same bytes; with `dtype` it reinterprets them (f32 <-> u32 share one readback). */
  view(t: Tensor, offset: number, length: number, label?: string, dtype?: DType): Tensor {
    this.live();
    const p = this.tensor(t, 'view');
    if (!Number.isInteger(offset) || offset < 0 || offset % VIEW_ALIGN !== 0) {
      throw new RangeError(`WebGpuBackend.view: offset ${offset} is not a multiple of ${VIEW_ALIGN}`);
    }
    if (!Number.isInteger(length) || length < 0 || offset + length > p.length) {
      throw new RangeError(`WebGpuBackend.view: [${offset}, ${offset + length}) is outside "${p.label}" of ${p.length}`);
    }
    const root = p.root ?? p;
    const name = label ?? `${p.label}[${offset}:${offset + length}]`;
    return new GpuTensor(this, length, dtype ?? p.dtype, name, p.buffer, p.bufferId, p.byteOffset + offset * 4, root);
  }

  write(t: Tensor, data: Float32Array | Uint32Array, offset = 0): void {
    this.live();
    const g = this.tensor(t, 'write');
    if (!Number.isInteger(offset) || offset < 0 || offset + data.length > g.length) {
      throw new RangeError(`WebGpuBackend.write: ${data.length} elements at ${offset} do not fit "${g.label}" of ${g.length}`);
    }
    const kind: DType = data instanceof Float32Array ? 'f32' : 'u32';
    if (kind !== g.dtype) throw new TypeError(`WebGpuBackend.write: ${kind} data into the ${g.dtype} tensor "${g.label}"`);
    this.rec.upload(g.range(), offset * 4, data);
  }

  async read(t: Tensor): Promise<Float32Array | Uint32Array> {
    this.live();
    const g = this.tensor(t, 'read');
    if (g.length === 0) return g.dtype === 'f32' ? new Float32Array(0) : new Uint32Array(0);
    const bytes = await this.rec.readback(g.range(), g.length * 4);
    await this.checkErrors();
    return g.dtype === 'f32' ? new Float32Array(bytes) : new Uint32Array(bytes);
  }

  zero(t: Tensor): void {
    this.live();
    const g = this.tensor(t, 'zero');
    if (g.length > 0) this.rec.clear({ ...g.range(), size: g.length * 4 });
  }

  copy(dst: Tensor, src: Tensor): void {
    this.live();
    const d = this.tensor(dst, 'copy');
    const s = this.tensor(src, 'copy');
    if (d.dtype !== s.dtype || s.length > d.length) {
      throw new RangeError(`WebGpuBackend.copy: cannot copy ${s.length} ${s.dtype} ("${s.label}") into ${d.length} ${d.dtype} ("${d.label}")`);
    }
    if (s.length > 0) this.rec.copy(d.range(), s.range(), s.length * 4);
  }

  async flush(): Promise<void> {
    this.live();
    this.rec.submit();
    await this.rec.guard(this.device.queue.onSubmittedWorkDone());
    await this.checkErrors();
  }

  free(t: Tensor): void {
    this.live();
    const g = this.tensor(t, 'free');
    if (g.root !== null) throw new Error(`WebGpuBackend.free: "${g.label}" is a view; free its parent`);
    g.markFreed();
    this.roots.delete(g);
    this.tensorBytes -= g.buffer.size;
    this.rec.release(g.buffer, g.bufferId);
  }

  counters(): BackendCounters {
    return { ...this.rec.counts, bytesHeld: this.tensorBytes + this.rec.internalBytes };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.loss === null) {
      this.rec.destroy();
      for (const t of this.roots) t.buffer.destroy();
    }
    this.roots.clear();
    this.tensorBytes = 0;
    this.device.destroy();
  }

  /**
   * Record one kernel launch after checking the tensors. Each argument is [tensor, name for errors,
   * elements needed, dtype (null: any), written], or a backend-owned scratch range.
   */
  /** Launch a kernel: its Params by name (packed in its shader's struct order), its tensors checked. */
  protected run(op: string, kernel: KernelName, params: Readonly<Record<string, number>>, args: readonly LaunchArg[], invocations: number): void {
    const { u32s, f32s } = packParams(KERNELS[kernel].family, params, op);
    const binds: Bind[] = args.map((arg) => {
      if ('scratch' in arg) return { range: arg.scratch, write: arg.write };
      const [t, name, need, dtype, write] = arg;
      const g = this.tensor(t, op);
      if (g.length < need) throw new RangeError(`WebGpuBackend.${op}: ${name} ("${g.label}") has ${g.length} elements, needs ${need}`);
      if (dtype !== null && g.dtype !== dtype) throw new TypeError(`WebGpuBackend.${op}: ${name} ("${g.label}") is ${g.dtype}, needs ${dtype}`);
      return { range: g.range(), write };
    });
    this.rec.dispatch(kernel, u32s, f32s, binds, grid1D(invocations), op);
  }
}
