import { describe, expect, it } from 'vitest';
import { VIEW_ALIGN, type Tensor } from '../../../src/backend/backend';
import { CpuBackend, cpuData } from '../../../src/backend/cpu';

describe('CpuBackend memory', () => {
  it('alloc gives zero-filled tensors of the dtype, length and label asked for; bytesHeld counts them', () => {
    const be = new CpuBackend();
    const a = be.alloc(10);
    const b = be.alloc(3, 'u32', 'tokens');
    expect([a.length, a.dtype, b.length, b.dtype, b.label]).toEqual([10, 'f32', 3, 'u32', 'tokens']);
    expect(cpuData(a)).toBeInstanceOf(Float32Array);
    expect(cpuData(b)).toBeInstanceOf(Uint32Array);
    expect(Array.from(cpuData(a)).every((x) => x === 0)).toBe(true);
    expect(be.counters().bytesHeld).toBe(52);
    be.free(a);
    expect(be.counters().bytesHeld).toBe(12);
    expect(() => be.alloc(-1)).toThrow(/non-negative integer/);
    expect(() => be.alloc(1.5)).toThrow(/non-negative integer/);
  });

  it('views share memory, need aligned offsets, stay in bounds and do not add to bytesHeld', () => {
    const be = new CpuBackend();
    const parent = be.alloc(4 * VIEW_ALIGN, 'f32', 'parent');
    const held = be.counters().bytesHeld;
    const v = be.view(parent, VIEW_ALIGN, 2 * VIEW_ALIGN);
    const vv = be.view(v, VIEW_ALIGN, 3, 'inner');
    be.write(vv, new Float32Array([1, 2, 3]));
    expect(Array.from(cpuData(parent).subarray(2 * VIEW_ALIGN, 2 * VIEW_ALIGN + 3))).toEqual([1, 2, 3]);
    expect(v.label).toBe(`parent[${VIEW_ALIGN}:${3 * VIEW_ALIGN}]`);
    expect(be.counters().bytesHeld).toBe(held);
    expect(() => be.view(parent, 1, 4)).toThrow(/VIEW_ALIGN/);
    expect(() => be.view(parent, 3 * VIEW_ALIGN, VIEW_ALIGN + 1)).toThrow(/exceeds/);
    expect(() => be.view(v, 2 * VIEW_ALIGN, 1)).toThrow(/exceeds/);
    expect(() => be.free(v)).toThrow(/view/);
  });

  it('write checks dtype and bounds and honours the offset; read returns a copy and counts a readback', async () => {
    const be = new CpuBackend();
    const t = be.alloc(5);
    be.write(t, new Float32Array([7, 8]), 3);
    expect(() => be.write(t, new Uint32Array([1]))).toThrow(/u32 data into a f32/);
    expect(() => be.write(t, new Float32Array(3), 3)).toThrow(/exceeds/);
    const copy = await be.read(t);
    expect(Array.from(copy)).toEqual([0, 0, 0, 7, 8]);
    copy[0] = 99;
    expect(cpuData(t)[0]).toBe(0);
    const c = be.counters();
    expect([c.readbacks, c.readbackBytes, c.submits, c.dispatches]).toEqual([1, 20, 1, 0]);
    await be.flush();
    expect(be.counters().submits).toBe(2);
  });

  it('zero and copy work on whole tensors and views, check dtypes and sizes, and count as dispatches', () => {
    const be = new CpuBackend();
    const a = be.alloc(2 * VIEW_ALIGN), b = be.alloc(VIEW_ALIGN), u = be.alloc(VIEW_ALIGN, 'u32');
    cpuData(a).fill(3);
    be.zero(be.view(a, VIEW_ALIGN, VIEW_ALIGN));
    expect(cpuData(a)[VIEW_ALIGN - 1]).toBe(3);
    expect(cpuData(a)[VIEW_ALIGN]).toBe(0);
    be.copy(b, be.view(a, 0, 4));
    expect(Array.from(cpuData(b).subarray(0, 5))).toEqual([3, 3, 3, 3, 0]);
    expect(() => be.copy(b, a)).toThrow(/src has/);
    expect(() => be.copy(u, b)).toThrow(/dtypes differ/);
    expect(be.counters().dispatches).toBe(2); // failed calls are not counted
  });

  it('a freed tensor and its views are unusable; double free and foreign tensors are errors', () => {
    const be = new CpuBackend();
    const other = new CpuBackend();
    const t = be.alloc(2 * VIEW_ALIGN, 'f32', 'weights');
    const v = be.view(t, VIEW_ALIGN, 4);
    be.free(t);
    expect(() => be.zero(t)).toThrow(/'weights'\) was freed/);
    expect(() => be.zero(v)).toThrow(/was freed/);
    expect(() => cpuData(v)).toThrow(/freed/);
    expect(() => be.free(t)).toThrow(/freed/);
    expect(() => other.zero(other.view(be.alloc(1), 0, 1))).toThrow(/does not belong/);
    const foreign: Tensor = { length: 1, dtype: 'f32', label: 'fake' };
    expect(() => cpuData(foreign)).toThrow(/does not belong/);
  });

  it('destroy frees everything and refuses further use', () => {
    const be = new CpuBackend();
    const t = be.alloc(8);
    be.destroy();
    expect(be.counters().bytesHeld).toBe(0);
    expect(() => cpuData(t)).toThrow(/freed/);
    expect(() => be.alloc(1)).toThrow(/destroyed/);
    expect(() => be.geluForward(t, t, 8)).toThrow(/destroyed/);
  });

  it('ops check dtypes, lengths and shape letters with clear errors', () => {
    const be = new CpuBackend();
    const out = be.alloc(2 * 3 * 4), wte = be.alloc(5 * 4), wpe = be.alloc(3 * 4);
    const tokensF32 = be.alloc(6, 'f32', 'tokens');
    expect(() => be.encoderForward(out, tokensF32, wte, wpe, 2, 3, 4)).toThrow(/tokens \('tokens'\) must be u32, got f32/);
    const tokens = be.alloc(6, 'u32');
    expect(() => be.encoderForward(out, tokens, wte, wpe, 2, 4, 4)).toThrow(/out .* has 24 elements, needs at least 32/);
    expect(() => be.geluForward(out, out, -1)).toThrow(/N must be a non-negative integer/);
    expect(() => be.matmulForward(out, out, out, be.alloc(1), 2, 3, 4)).toThrow(/bias .* needs at least 4/);
  });
});
