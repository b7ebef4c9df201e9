// Command recording for the WebGPU backend: one command encoder (and one open compute pass) collects every
// op until a read or flush submits it. Per-op parameters go to a uniform ring, host writes that must stay
// ordered with recorded ops go through an upload arena, bind groups are cached per set of buffer ranges,
// and readbacks use pooled MAP_READ buffers. Nothing here allocates GPU memory per op in steady state.
import { KERNELS, type KernelName } from './kernels';
import { MAP_MODE_READ, Usage } from './flags';

/** A range of a GPUBuffer, as ops bind it. `id` identifies the buffer for caching and overlap checks. */
export interface Range {
  readonly buffer: GPUBuffer;
  readonly id: number;
  readonly offset: number; // bytes, a multiple of 256 for views
  readonly size: number; // bytes, > 0
}

/** One storage binding of a dispatch; `write` marks outputs (which must not overlap anything else). */
export interface Bind {
  range: Range;
  write: boolean;
}

/** Bytes of one uniform-ring slot: WebGPU's dynamic-offset alignment (minUniformBufferOffsetAlignment). */
export const SLOT_BYTES = 256;
const SLOT_WORDS = SLOT_BYTES / 4;
/** Slots per ring: more ops than this between two reads makes the recorder submit early (counted). */
const RING_SLOTS = 4096;
const UPLOAD_CHUNK_BYTES = 1 << 20;
const BIND_GROUP_CACHE_MAX = 8192;

const overlaps = (a: Range, b: Range): boolean =>
  a.id === b.id && a.offset < b.offset + b.size && b.offset < a.offset + a.size;

interface UploadChunk {
  buffer: GPUBuffer;
  staging: Uint8Array;
  used: number;
}

export class Recorder {
  readonly counts = { dispatches: 0, submits: 0, readbacks: 0, readbackBytes: 0 };
  /** Validation/OOM error scopes of submitted work, checked (and cleared) by takeSubmitErrors. */
  private submitChecks: Promise<GPUError | null>[] = [];
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly ring: GPUBuffer;
  private readonly ringWords = new ArrayBuffer(RING_SLOTS * SLOT_BYTES);
  private readonly ringU32 = new Uint32Array(this.ringWords);
  private readonly ringF32 = new Float32Array(this.ringWords);
  private ringUsed = 0;
  private readonly uploads: UploadChunk[] = [];
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly keysByBuffer = new Map<number, string[]>();
  private readonly scratch = new Map<string, Range>();
  private readonly readPool = new Map<number, GPUBuffer[]>();
  // Buffers to destroy once the recorded commands that may use them are submitted.
  private retired: { buffer: GPUBuffer; internal: boolean }[] = [];
  private nextInternalId = -1; // internal buffers get negative ids, tensors positive ones
  internalBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly pipelines: ReadonlyMap<KernelName, GPUComputePipeline>,
    private readonly layouts: readonly GPUBindGroupLayout[], // index = number of storage bindings
    /** Rejects when the device is lost, so no await here can hang on a dead device. */
    private readonly lostSignal: Promise<never>,
  ) {
    this.ring = this.createInternal(RING_SLOTS * SLOT_BYTES, Usage.UNIFORM | Usage.COPY_DST, 'uniform ring');
  }

  private createInternal(size: number, usage: GPUBufferUsageFlags, label: string): GPUBuffer {
    this.internalBytes += size;
    return this.device.createBuffer({ size, usage, label: `misstep ${label}` });
  }

  private destroyInternal(buffer: GPUBuffer): void {
    this.internalBytes -= buffer.size;
    buffer.destroy();
  }

  /** True when commands are recorded but not yet submitted. */
  get pending(): boolean {
    return this.encoder !== null;
  }

  private ensureEncoder(): GPUCommandEncoder {
    if (this.encoder === null) {
      // Everything until submit is inside these scopes: createBindGroup/createBuffer/encoding errors land in
      // them and read()/flush() report them instead of the results silently being garbage.
      this.device.pushErrorScope('out-of-memory');
      this.device.pushErrorScope('validation');
      this.encoder = this.device.createCommandEncoder({ label: 'misstep ops' });
    }
    return this.encoder;
  }

  /** An encoder with no open pass, for copies and clears (which cannot be recorded inside a pass). */
  private copyEncoder(): GPUCommandEncoder {
    const encoder = this.ensureEncoder();
    if (this.pass !== null) {
      this.pass.end();
      this.pass = null;
    }
    return encoder;
  }

  /** A backend-owned scratch range of at least `bytes`, grown on demand (old buffer retired safely). */
  scratchRange(name: string, bytes: number): Range {
    const have = this.scratch.get(name);
    if (have !== undefined && have.size >= bytes) return have;
    if (have !== undefined) {
      this.forgetBuffer(have.id);
      this.retired.push({ buffer: have.buffer, internal: true });
    }
    const size = Math.max(256, Math.ceil(Math.max(bytes, (have?.size ?? 0) * 1.5) / 256) * 256);
    const usage = Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST;
    const range: Range = { buffer: this.createInternal(size, usage, `scratch ${name}`), id: this.nextInternalId--, offset: 0, size };
    this.scratch.set(name, range);
    return range;
  }

  /**
   * Record one dispatch. Params: u32 values first, then f32 values, into a fresh ring slot (the shaders'
   * Params structs follow that order). Inputs that overlap another binding are copied aside first:
   * WebGPU rejects overlapping writable bindings, and an aside copy gives exactly the CPU semantics of
   * reading the old values (e.g. residualForward(x, x, y)).
   */
  dispatch(kernel: KernelName, u32s: readonly number[], f32s: readonly number[], binds: readonly Bind[], grid: readonly [number, number], op: string): void {
    const ranges = binds.map((b) => b.range);
    for (let i = 0; i < binds.length; i++) {
      for (let j = i + 1; j < binds.length; j++) {
        if (!overlaps(ranges[i], ranges[j])) continue;
        if (binds[i].write && binds[j].write) {
          throw new RangeError(`WebGpuBackend.${op}: output arguments ${i + 1} and ${j + 1} overlap in memory`);
        }
        const k = binds[j].write ? i : j; // the read-only one of the pair
        const aside = this.scratchRange(`alias${k}`, ranges[k].size);
        this.copyEncoder().copyBufferToBuffer(ranges[k].buffer, ranges[k].offset, aside.buffer, 0, ranges[k].size);
        ranges[k] = { ...aside, size: ranges[k].size };
      }
    }
    if (this.ringUsed === RING_SLOTS) this.submit(); // ring full: submit early rather than overwrite a slot
    const slot = this.ringUsed++;
    const base = slot * SLOT_WORDS;
    for (let i = 0; i < u32s.length; i++) this.ringU32[base + i] = u32s[i];
    for (let i = 0; i < f32s.length; i++) this.ringF32[base + u32s.length + i] = f32s[i];

    const encoder = this.ensureEncoder();
    if (this.pass === null) this.pass = encoder.beginComputePass({ label: 'misstep ops' });
    const pipeline = this.pipelines.get(kernel);
    if (pipeline === undefined) throw new Error(`WebGpuBackend: no pipeline for kernel ${kernel}`);
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, this.bindGroup(KERNELS[kernel].storage, ranges), [slot * SLOT_BYTES]);
    this.pass.dispatchWorkgroups(grid[0], grid[1]);
    this.counts.dispatches++;
  }

  private bindGroup(storage: number, ranges: readonly Range[]): GPUBindGroup {
    let key = `${storage}`;
    for (const r of ranges) key += `|${r.id}@${r.offset}+${r.size}`;
    const hit = this.bindGroups.get(key);
    if (hit !== undefined) return hit;
    if (this.bindGroups.size >= BIND_GROUP_CACHE_MAX) {
      this.bindGroups.clear();
      this.keysByBuffer.clear();
    }
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: this.ring, offset: 0, size: SLOT_BYTES } }];
    ranges.forEach((r, i) => entries.push({ binding: i + 1, resource: { buffer: r.buffer, offset: r.offset, size: r.size } }));
    const group = this.device.createBindGroup({ layout: this.layouts[storage], entries });
    this.bindGroups.set(key, group);
    for (const r of ranges) {
      const keys = this.keysByBuffer.get(r.id);
      if (keys === undefined) this.keysByBuffer.set(r.id, [key]);
      else keys.push(key);
    }
    return group;
  }

  /** Drop cached bind groups that reference buffer `id` (called before the buffer is destroyed). */
  forgetBuffer(id: number): void {
    for (const key of this.keysByBuffer.get(id) ?? []) this.bindGroups.delete(key);
    this.keysByBuffer.delete(id);
  }

  /** dst[...] = 0 over the range. */
  clear(dst: Range): void {
    this.copyEncoder().clearBuffer(dst.buffer, dst.offset, dst.size);
  }

  /** Copy `size` bytes; WebGPU forbids a copy within one buffer, so those go through a scratch buffer. */
  copy(dst: Range, src: Range, size: number): void {
    const encoder = this.copyEncoder();
    if (dst.id !== src.id) {
      encoder.copyBufferToBuffer(src.buffer, src.offset, dst.buffer, dst.offset, size);
      return;
    }
    const aside = this.scratchRange('copy', size);
    encoder.copyBufferToBuffer(src.buffer, src.offset, aside.buffer, 0, size);
    encoder.copyBufferToBuffer(aside.buffer, 0, dst.buffer, dst.offset, size);
  }

  /**
   * Host data into dst at byte offset `at`, ordered with the recorded ops: with nothing recorded it is a
   * plain queue.writeBuffer; otherwise the bytes are staged in the upload arena (uploaded just before the
   * submit) and copied by a command recorded here, after the ops already recorded.
   */
  upload(dst: Range, at: number, data: Float32Array | Uint32Array): void {
    const bytes = data.byteLength;
    if (bytes === 0) return;
    if (!this.pending) {
      this.device.queue.writeBuffer(dst.buffer, dst.offset + at, data.buffer, data.byteOffset, bytes);
      return;
    }
    let chunk = this.uploads.find((c) => c.staging.byteLength - c.used >= bytes);
    if (chunk === undefined) {
      const size = Math.max(UPLOAD_CHUNK_BYTES, Math.ceil(bytes / 4) * 4);
      const buffer = this.createInternal(size, Usage.COPY_SRC | Usage.COPY_DST, 'upload');
      chunk = { buffer, staging: new Uint8Array(size), used: 0 };
      this.uploads.push(chunk);
    }
    chunk.staging.set(new Uint8Array(data.buffer, data.byteOffset, bytes), chunk.used);
    this.copyEncoder().copyBufferToBuffer(chunk.buffer, chunk.used, dst.buffer, dst.offset + at, bytes);
    chunk.used += bytes;
  }

  /** Upload this encoder's uniforms and staged writes, then submit it. A no-op when nothing is recorded. */
  submit(): void {
    if (this.encoder === null) return;
    if (this.pass !== null) {
      this.pass.end();
      this.pass = null;
    }
    const queue = this.device.queue;
    // writeBuffer runs on the queue before the submit below and after earlier submits, so reusing the ring
    // and the arena for every command buffer is safe.
    if (this.ringUsed > 0) queue.writeBuffer(this.ring, 0, this.ringWords, 0, this.ringUsed * SLOT_BYTES);
    for (const c of this.uploads) {
      if (c.used > 0) queue.writeBuffer(c.buffer, 0, c.staging.buffer, c.staging.byteOffset, c.used);
      c.used = 0;
    }
    queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.ringUsed = 0;
    this.counts.submits++;
    const validation = this.device.popErrorScope();
    const oom = this.device.popErrorScope();
    // A lost device is reported through lostSignal; here it only must not become an unhandled rejection.
    this.submitChecks.push(Promise.all([validation, oom]).then(([v, o]) => v ?? o, () => null));
    this.releaseRetired();
  }

  private releaseRetired(): void {
    for (const r of this.retired) {
      if (r.internal) this.destroyInternal(r.buffer);
      else r.buffer.destroy();
    }
    this.retired = [];
  }

  /** Destroy a tensor's buffer, after the submit if recorded commands may still use it. */
  release(buffer: GPUBuffer, id: number): void {
    this.forgetBuffer(id);
    this.retired.push({ buffer, internal: false });
    if (!this.pending) this.releaseRetired();
  }

  /**
   * Wait for `p`, or reject as soon as the device is lost. Chromium can reject a pending mapAsync
   * ("buffer was unmapped") just before device.lost settles: a failure waits a moment for the loss, so the
   * caller sees the device-lost error (with its reason) rather than the symptom.
   */
  guard<T>(p: Promise<T>): Promise<T> {
    const explained = p.catch(async (err: unknown) => {
      await Promise.race([this.lostSignal, new Promise((resolve) => setTimeout(resolve, 200))]);
      throw err;
    });
    return Promise.race([explained, this.lostSignal]);
  }

  /** The first error captured by the error scopes of the work submitted so far (clears them). */
  async takeSubmitErrors(): Promise<GPUError | null> {
    const checks = this.submitChecks;
    this.submitChecks = [];
    const errors = await this.guard(Promise.all(checks));
    return errors.find((e) => e !== null) ?? null;
  }

  /** Submit everything recorded plus a copy of `src` to a pooled staging buffer; resolve with the bytes. */
  async readback(src: Range, size: number): Promise<ArrayBuffer> {
    const poolSize = Math.max(256, 2 ** Math.ceil(Math.log2(size)));
    const pool = this.readPool.get(poolSize) ?? [];
    this.readPool.set(poolSize, pool);
    const staging = pool.pop() ?? this.createInternal(poolSize, Usage.MAP_READ | Usage.COPY_DST, 'readback');
    this.copyEncoder().copyBufferToBuffer(src.buffer, src.offset, staging, 0, size);
    this.submit();
    this.counts.readbacks++;
    this.counts.readbackBytes += size;
    await this.guard(staging.mapAsync(MAP_MODE_READ, 0, size));
    const bytes = staging.getMappedRange(0, size).slice(0);
    staging.unmap();
    pool.push(staging);
    return bytes;
  }

  /** Release every internal buffer (the backend is being destroyed). */
  destroy(): void {
    const all = [this.ring, ...this.uploads.map((c) => c.buffer), ...[...this.scratch.values()].map((r) => r.buffer), ...this.retired.map((r) => r.buffer)];
    for (const pool of this.readPool.values()) all.push(...pool);
    for (const b of all) b.destroy();
    this.internalBytes = 0;
    this.bindGroups.clear();
    this.keysByBuffer.clear();
  }
}
