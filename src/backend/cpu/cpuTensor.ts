// Tensors of the CPU backend: a typed array per allocation, views as subarrays of it, and the argument
// checks every op runs before touching memory (dtype, length, freed, shape dimensions).

import type { DType, Tensor } from '../backend';

export type CpuArray = Float32Array | Uint32Array;

/** The allocation a tensor belongs to; views share it, and freeing it invalidates them all. */
export class CpuAllocation {
  freed = false;
  constructor(readonly owner: object, readonly bytes: number) {}
}

export class CpuTensor implements Tensor {
  readonly length: number;
  constructor(
    readonly data: CpuArray,
    readonly dtype: DType,
    readonly label: string,
    readonly allocation: CpuAllocation,
    /** Element offset in the allocation (0 for the allocation itself). */
    readonly offset: number,
    readonly isView: boolean,
  ) {
    this.length = data.length;
  }
}

/** The memory behind a CPU tensor (live, not a copy), for tests and tools that need direct access. */
export function cpuData(t: Tensor): CpuArray {
  if (!(t instanceof CpuTensor)) throw new TypeError(`cpuData: tensor '${t.label}' does not belong to a CPU backend`);
  if (t.allocation.freed) throw new Error(`cpuData: tensor '${t.label}' was freed`);
  return t.data;
}

export function newArray(dtype: DType, length: number): CpuArray {
  return dtype === 'f32' ? new Float32Array(length) : new Uint32Array(length);
}

/** Checks that n is a non-negative safe integer (shape letters, lengths, offsets). */
export function checkCount(what: string, name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what}: ${name} must be a non-negative integer, got ${n}`);
}

/** Argument checks of one op call; each accessor returns the typed array the pure op works on. */
export class OpArgs {
  constructor(private readonly owner: object, private readonly op: string) {}

  /** Checks the shape letters, e.g. dims({ B, T, C }). */
  dims(letters: Record<string, number>): this {
    for (const [name, n] of Object.entries(letters)) checkCount(this.op, name, n);
    return this;
  }

  tensor(name: string, t: Tensor): CpuTensor {
    if (!(t instanceof CpuTensor) || t.allocation.owner !== this.owner) {
      throw new TypeError(`${this.op}: ${name} ('${t.label}') does not belong to this CPU backend`);
    }
    if (t.allocation.freed) throw new Error(`${this.op}: ${name} ('${t.label}') was freed`);
    return t;
  }

  private sized(name: string, t: Tensor, dtype: DType, need: number): CpuArray {
    const ct = this.tensor(name, t);
    if (ct.dtype !== dtype) throw new TypeError(`${this.op}: ${name} ('${t.label}') must be ${dtype}, got ${ct.dtype}`);
    if (ct.length < need) {
      throw new RangeError(`${this.op}: ${name} ('${t.label}') has ${ct.length} elements, needs at least ${need}`);
    }
    return ct.data;
  }

  f32(name: string, t: Tensor, need: number): Float32Array {
    return this.sized(name, t, 'f32', need) as Float32Array;
  }

  u32(name: string, t: Tensor, need: number): Uint32Array {
    return this.sized(name, t, 'u32', need) as Uint32Array;
  }

  f32OrNull(name: string, t: Tensor | null, need: number): Float32Array | null {
    return t === null ? null : this.f32(name, t, need);
  }

  /** Either dtype (for 0/1 masks). */
  f32OrU32(name: string, t: Tensor, need: number): CpuArray {
    return this.sized(name, t, this.tensor(name, t).dtype, need);
  }
}
