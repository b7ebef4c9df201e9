// Which steps' traces a run keeps: all of the last N, one in K before that.
import { describe, expect, it, vi } from 'vitest';
import type { TraceRow } from '../../src/run/records';
import { checkRetention, keepsStep, keptStepCount, retainTraces, traceBytes } from '../../src/worker/retention';

const row = (step: number) => ({ step, group: 0 }) as TraceRow;

describe('trace retention', () => {
  it('keeps every step of the last keepLast and the multiples of keepEvery before them', () => {
    const r = { keepLast: 5, keepEvery: 10 };
    const kept = Array.from({ length: 60 }, (_, s) => s).filter((s) => keepsStep(s, 59, r));
    expect(kept).toEqual([0, 10, 20, 30, 40, 50, 55, 56, 57, 58, 59]);
    expect(keptStepCount(60, r)).toBe(kept.length);
    expect(keptStepCount(3, r)).toBe(3);
    expect(keptStepCount(0, r)).toBe(0);
    for (const steps of [1, 5, 6, 11, 17, 100]) {
      for (const rr of [{ keepLast: 1, keepEvery: 1 }, { keepLast: 3, keepEvery: 4 }, r]) {
        const n = Array.from({ length: steps }, (_, s) => s).filter((s) => keepsStep(s, steps - 1, rr)).length;
        expect(keptStepCount(steps, rr), `${steps} steps, ${JSON.stringify(rr)}`).toBe(n);
      }
    }
  });

  it('prunes a list of traces by its newest step, keeping order and every row of a kept step', () => {
    const traces = [0, 0, 1, 2, 3, 4, 4, 5, 6].map(row);
    expect(retainTraces(traces, { keepLast: 2, keepEvery: 3 }).map((t) => t.step)).toEqual([0, 0, 3, 5, 6]);
    expect(retainTraces([], { keepLast: 2, keepEvery: 3 })).toEqual([]);
  });

  it('refuses a setting that keeps nothing, naming the field', () => {
    expect(() => checkRetention({ keepLast: 0, keepEvery: 10 })).toThrow(/keepLast/);
    expect(() => checkRetention({ keepLast: 5, keepEvery: 1.5 })).toThrow(/keepEvery/);
    expect(checkRetention({ keepLast: 5, keepEvery: 10 })).toEqual({ keepLast: 5, keepEvery: 10 });
  });

  it("a row's stored size is its JSON text's length, measured once per row (rows never change)", () => {
    const a = { ...row(3), text: 'x'.repeat(40) } as TraceRow;
    const size = JSON.stringify(a).length;
    const spy = vi.spyOn(JSON, 'stringify');
    try {
      expect(traceBytes(a)).toBe(size);
      expect(traceBytes(a)).toBe(size);
      expect(traceBytes({ ...a })).toBe(size); // another row: measured on its own
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});
