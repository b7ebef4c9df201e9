// Tensors of the WebGPU backend: a GPUBuffer (the root) or a view of one (a byte range of the root's buffer).
import type { DType, Tensor } from '../backend';
import { Usage } from './flags';
import type { Range } from './recorder';

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
