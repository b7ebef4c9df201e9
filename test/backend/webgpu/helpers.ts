// Shared setup of the WebGPU tests: one Node GPU object per test process, twin tensors on the CPU reference
// and the WebGPU backend, and a tolerance check that names the worst element.
import { create, globals } from 'webgpu';
import { expect } from 'vitest';
import type { Backend, DType, Tensor } from '../../../src/backend/backend';
import { CpuBackend } from '../../../src/backend/cpu';
import { Rng } from '../../../src/backend/rng';
import { createWebGpuBackend, type WebGpuBackend } from '../../../src/backend/webgpu';

Object.assign(globalThis, globals);

// Module scope on purpose: if the object returned by create() is garbage-collected, Dawn's Node binding
// crashes the process (segfault / futex errors). It lives as long as the test process.
export const gpu: GPU = create([]);

/**
 * A WebGPU backend on the Node binding. Fails loudly (never skips): these tests exist to prove the WGSL
 * path works, so a machine without an adapter must show up as a failure.
 */
export async function newGpuBackend(): Promise<WebGpuBackend> {
  try {
    return await createWebGpuBackend(gpu);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const icd = process.env.VK_ICD_FILENAMES;
    throw new Error(`No WebGPU backend in Node (VK_ICD_FILENAMES is ${icd === undefined ? 'unset' : `"${icd}"`}; ` +
      `npm test exports it): ${why}`);
  }
}

/** The same tensor on both backends. */
export interface TwinTensor {
  c: Tensor;
  g: Tensor;
}

/** Random data, twin tensors, and running one op on both backends. */
export class Twin {
  readonly cpu = new CpuBackend();
  constructor(readonly gpu: WebGpuBackend, readonly rng = new Rng(1234)) {}

  normal(n: number, scale = 1): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.rng.normal() * scale;
    return a;
  }

  ints(n: number, lo: number, hi: number): Uint32Array {
    const a = new Uint32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.rng.int(lo, hi);
    return a;
  }

  of(data: Float32Array | Uint32Array, label = 'x'): TwinTensor {
    const dtype: DType = data instanceof Float32Array ? 'f32' : 'u32';
    const c = this.cpu.alloc(data.length, dtype, label);
    const g = this.gpu.alloc(data.length, dtype, label);
    this.cpu.write(c, data);
    this.gpu.write(g, data);
    return { c, g };
  }

  zeros(n: number, dtype: DType = 'f32', label = 'z'): TwinTensor {
    return { c: this.cpu.alloc(n, dtype, label), g: this.gpu.alloc(n, dtype, label) };
  }

  /** Run `f` on the CPU backend, then record it on the WebGPU backend. */
  run(f: (b: Backend, t: (x: TwinTensor) => Tensor) => void): void {
    f(this.cpu, (x) => x.c);
    f(this.gpu, (x) => x.g);
  }

  async both(x: TwinTensor): Promise<[Float32Array | Uint32Array, Float32Array | Uint32Array]> {
    return [await this.cpu.read(x.c), await this.gpu.read(x.g)];
  }

  /** Read both sides and check |gpu - cpu| <= atol + rtol * |cpu| everywhere. */
  async close(x: TwinTensor, rtol: number, atol: number, what: string): Promise<void> {
    const [c, g] = await this.both(x);
    expectClose(g, c, rtol, atol, what);
  }

  /** Read both sides and require identical elements. */
  async same(x: TwinTensor, what: string): Promise<void> {
    const [c, g] = await this.both(x);
    expect(Array.from(g), what).toEqual(Array.from(c));
  }
}

/** |actual - expected| <= atol + rtol * |expected| for every element; reports the worst one. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    const err = Math.abs(a - e);
    if (!(err <= atol + rtol * Math.abs(e)) && !(Number.isNaN(a) && Number.isNaN(e))) {
      const excess = Number.isNaN(err) ? Infinity : err / (atol + rtol * Math.abs(e));
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
    if (Number.isFinite(err)) maxAbs = Math.max(maxAbs, err);
  }
  const detail = worst < 0 ? '' : `element ${worst}: gpu ${actual[worst]} vs cpu ${expected[worst]} (max abs err ${maxAbs})`;
  expect(detail, `${what} within rtol ${rtol}, atol ${atol}`).toBe('');
}
