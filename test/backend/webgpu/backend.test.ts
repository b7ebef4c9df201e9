// The WebGPU backend's plumbing: memory ops and views, ordering of writes with recorded ops, counters
// (one submit and one readback per read), steady-state allocation, argument checks, GPU errors, device loss
// and device acquisition errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../../../src/backend/backend';
import { CpuBackend } from '../../../src/backend/cpu';
import { acquireDevice, WebGpuUnavailableError, type WebGpuBackend } from '../../../src/backend/webgpu';
import { gpu as nodeGpu, newGpuBackend } from './helpers';

let gpu: WebGpuBackend;

beforeAll(async () => {
  gpu = await newGpuBackend();
});

afterAll(() => gpu?.destroy());

const range = (n: number, from = 0): Float32Array => Float32Array.from({ length: n }, (_, i) => from + i);

/** Reject after `ms`: a test that would hang fails instead. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms))]);
}

describe('memory', () => {
  it('reports the adapter and the up-front compile time', () => {
    expect(gpu.adapter.vendor.length + gpu.adapter.architecture.length).toBeGreaterThan(0);
    expect(typeof gpu.adapter.isFallbackAdapter).toBe('boolean');
    expect(gpu.adapter.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
    expect(gpu.compileMs).toBeGreaterThan(0);
  });

  it('alloc is zero-filled; write/read whole tensors, views and writes at an offset', async () => {
    const t = gpu.alloc(200, 'f32', 't');
    expect(Array.from(await gpu.read(t))).toEqual(new Array(200).fill(0));
    gpu.write(t, range(200));
    const v = gpu.view(t, 64, 100, 'v');
    expect(Array.from(await gpu.read(v))).toEqual(Array.from(range(100, 64)));
    gpu.write(v, new Float32Array([-1, -2]), 3);
    const all = await gpu.read(t);
    expect([all[66], all[67], all[68], all[69]]).toEqual([66, -1, -2, 69]);
    expect(() => gpu.view(t, 10, 5)).toThrow(/multiple of 64/);
    expect(() => gpu.write(t, new Uint32Array(3))).toThrow(/u32 data into the f32 tensor/);
  });

  it('a view with another dtype reinterprets the bytes', async () => {
    const t = gpu.alloc(128, 'f32');
    gpu.write(t, new Float32Array([1, 2]), 64);
    const bits = await gpu.read(gpu.view(t, 64, 2, 'bits', 'u32'));
    expect(bits).toBeInstanceOf(Uint32Array);
    expect(Array.from(bits)).toEqual([0x3f800000, 0x40000000]);
  });

  it('zero and copy, including a copy between two views of one buffer', async () => {
    const t = gpu.alloc(192);
    gpu.write(t, range(192));
    gpu.copy(gpu.view(t, 128, 64), gpu.view(t, 0, 64)); // same GPUBuffer: goes through scratch
    gpu.zero(gpu.view(t, 64, 64));
    const r = await gpu.read(t);
    expect(Array.from(r.subarray(0, 64))).toEqual(Array.from(range(64)));
    expect(Array.from(r.subarray(64, 128))).toEqual(new Array(64).fill(0));
    expect(Array.from(r.subarray(128))).toEqual(Array.from(range(64)));
  });

  it('writes stay ordered with recorded ops (no submit in between)', async () => {
    await gpu.flush();
    const submits = gpu.counters().submits;
    const x = gpu.alloc(70), y = gpu.alloc(70);
    gpu.write(x, new Float32Array(70).fill(1));
    gpu.accumulate(y, x, 70);
    gpu.write(x, new Float32Array(70).fill(2)); // must not overtake the accumulate above
    gpu.accumulate(y, x, 70);
    expect(gpu.counters().submits).toBe(submits);
    expect(Array.from(await gpu.read(y))).toEqual(new Array(70).fill(3));
  });

  it('free releases memory; a freed tensor or a view cannot be used/freed', () => {
    const before = gpu.counters().bytesHeld;
    const t = gpu.alloc(1 << 16);
    expect(gpu.counters().bytesHeld - before).toBe(4 << 16);
    expect(() => gpu.free(gpu.view(t, 0, 64))).toThrow(/view/);
    gpu.free(t);
    expect(gpu.counters().bytesHeld).toBe(before);
    expect(() => gpu.zero(t)).toThrow(/freed/);
  });
});

describe('counters and steady state', () => {
  it('N ops then one read: 1 submit, 1 readback, N dispatches', async () => {
    const a = gpu.alloc(256), b = gpu.alloc(256), w = gpu.alloc(64 * 4), out = gpu.alloc(256);
    await gpu.flush();
    const c0 = gpu.counters();
    for (let i = 0; i < 5; i++) gpu.accumulate(a, b, 256);
    gpu.geluForward(b, a, 256);
    gpu.matmulForward(out, a, w, null, 64, 4, 4);
    gpu.residualForward(out, out, b, 256);
    const r = await gpu.read(out);
    const c1 = gpu.counters();
    expect(c1.submits - c0.submits).toBe(1);
    expect(c1.readbacks - c0.readbacks).toBe(1);
    expect(c1.readbackBytes - c0.readbackBytes).toBe(r.byteLength);
    expect(c1.dispatches - c0.dispatches).toBe(8);
  });

  it('repeating a step allocates nothing new (uniform ring, cached bind groups, pooled staging)', async () => {
    const B = 2, T = 8, C = 12, NH = 3;
    const qkv = gpu.alloc(B * T * 3 * C), out = gpu.alloc(B * T * C), att = gpu.alloc(B * NH * T * T);
    const dqkv = gpu.alloc(B * T * 3 * C), norm = gpu.alloc(1);
    const step = async (): Promise<void> => {
      gpu.attentionForward(out, att, qkv, B, T, C, NH);
      gpu.attentionBackward(dqkv, out, qkv, att, B, T, C, NH);
      gpu.globalNorm(norm, dqkv, B * T * 3 * C);
      await gpu.read(norm);
    };
    await step();
    const held = gpu.counters().bytesHeld;
    for (let i = 0; i < 3; i++) await step();
    expect(gpu.counters().bytesHeld).toBe(held);
  });
});

describe('argument checks', () => {
  it('too-small tensors, wrong dtypes, foreign tensors and bad head counts throw before recording', () => {
    const small = gpu.alloc(10), big = gpu.alloc(1000), toks = gpu.alloc(10, 'u32');
    expect(() => gpu.matmulForward(big, small, big, null, 10, 4, 4)).toThrow(/inp .* has 10 elements, needs 40/);
    expect(() => gpu.encoderForward(big, big, big, big, 1, 2, 4)).toThrow(/tokens .* is f32, needs u32/);
    const foreign: Tensor = new CpuBackend().alloc(10);
    expect(() => gpu.accumulate(foreign, small, 10)).toThrow(/does not belong/);
    expect(() => gpu.attentionForward(big, big, big, 1, 2, 10, 3)).toThrow(/not a multiple of NH/);
    expect(() => gpu.sampleNext(toks, small, small, toks, 1, 2, 4, 0, { temperature: 0, topK: 0, seed: 0, step: 0, rowOffset: 0 })).toThrow(/temperature/);
    expect(() => gpu.residualForward(small, small, small, 10)).not.toThrow(); // in place is allowed
  });
});

describe('errors and device loss', () => {
  it('GPU validation errors surface on the next flush/read instead of garbage results, once', async () => {
    const t = gpu.alloc(64);
    // While commands are recorded, the encoder's error scope catches the error.
    gpu.zero(t);
    gpu.device.createBuffer({ size: 4, usage: 0 }); // invalid: no usage
    await expect(within(gpu.read(t), 10_000, 'read')).rejects.toThrow(/GPU error.*usage/s);
    // With nothing recorded it is an uncaptured error: onError hears it and the next flush reports it.
    const seen: string[] = [];
    gpu.onError((m) => seen.push(m));
    gpu.device.createBuffer({ size: 4, usage: 0 });
    await expect(within(gpu.flush(), 10_000, 'flush')).rejects.toThrow(/GPU error/);
    expect(seen.length).toBeGreaterThan(0);
    await expect(gpu.read(t)).resolves.toBeInstanceOf(Float32Array); // reported once, then usable again
  });

  it('destroying the device mid-use rejects pending reads and makes later calls throw', async () => {
    const own = await newGpuBackend();
    const losses: string[] = [];
    own.onDeviceLost((l) => losses.push(l.reason));
    const a = own.alloc(4096), b = own.alloc(4096);
    for (let i = 0; i < 20; i++) own.accumulate(a, b, 4096);
    const pending = own.read(a);
    own.device.destroy(); // what a driver reset or a GPU process crash looks like to the backend
    await expect(within(pending, 10_000, 'read after loss')).rejects.toThrow(/lost|destroyed/);
    const loss = await within(own.lost, 10_000, 'lost promise');
    expect(loss.reason).toBe('destroyed');
    expect(losses).toEqual(['destroyed']);
    expect(() => own.alloc(4)).toThrow(/lost/);
    expect(() => own.accumulate(a, b, 4096)).toThrow(/lost/);
    await expect(within(own.read(a), 10_000, 'read')).rejects.toThrow(/lost/);
    await expect(within(own.flush(), 10_000, 'flush')).rejects.toThrow(/lost/);
    own.destroy(); // still safe
  });

  it('destroy() ends the backend cleanly', async () => {
    const own = await newGpuBackend();
    own.destroy();
    expect(() => own.alloc(4)).toThrow(/destroyed/);
    expect((await within(own.lost, 10_000, 'lost')).byDestroy).toBe(true);
  });
});

describe('device acquisition', () => {
  it('explains a missing navigator.gpu, a missing adapter and a limit that is too small', async () => {
    await expect(acquireDevice(undefined)).rejects.toThrow(/navigator\.gpu is undefined/);
    const noAdapter = { requestAdapter: () => Promise.resolve(null) } as unknown as GPU;
    await expect(acquireDevice(noAdapter)).rejects.toThrow(/requestAdapter\(\) returned null.*VK_ICD_FILENAMES/s);
    const tooBig = acquireDevice(nodeGpu, { maxBufferBytes: 2 ** 42 });
    await expect(tooBig).rejects.toBeInstanceOf(WebGpuUnavailableError);
    await expect(acquireDevice(nodeGpu, { maxBufferBytes: 2 ** 42 })).rejects.toThrow(/maxBufferSize: asked for at least 4398046511104, the adapter offers \d+/);
  });
});
