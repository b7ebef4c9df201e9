// Tensors of the WebGPU backend: a GPUBuffer (the root) or a view of one (a byte range of the root's buffer).
import type { DType, Tensor } from '../backend';
import type { Range } from './recorder';

// WebGPU's flag values (fixed by the spec). Spelled out so nothing depends on the GPUBufferUsage global,
// which Node's `webgpu` package only provides after Object.assign(globalThis, globals).
export const Usage = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
export const MAP_MODE_READ = 0x1;
export const SHADER_STAGE_COMPUTE = 0x4;

export const TENSOR_USAGE = Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST;

export class GpuTensor implements Tensor {
  /** Set by free() on the root; views check their root. */
  private freedFlag = false;

  constructor(
    readonly owner: object,
    readonly length: number,
    readonly dtype: DType,
    readonly label: string,
    readonly buffer: GPUBuffer,
    readonly bufferId: number,
    readonly byteOffset: number,
    readonly root: GpuTensor | null, // null for a root tensor
  ) {}

  get freed(): boolean {
    return this.root === null ? this.freedFlag : this.root.freed;
  }

  markFreed(): void {
    this.freedFlag = true;
  }

  /**
   * The bound range. A zero-length tensor still binds 4 bytes (WebGPU bindings cannot be empty); ops never
   * read it, as they skip zero-sized work before binding.
   */
  range(): Range {
    const size = Math.min(Math.max(4, this.length * 4), this.buffer.size - this.byteOffset);
    return { buffer: this.buffer, id: this.bufferId, offset: this.byteOffset, size };
  }
}

/** Bytes of the GPUBuffer behind a tensor of `length` elements (WebGPU wants sizes that are multiples of 4;
 * 16 keeps an empty tensor bindable). */
export const bufferBytes = (length: number): number => Math.max(16, Math.ceil((length * 4) / 16) * 16);
