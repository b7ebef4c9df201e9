import { describe, expect, it } from 'vitest';
import { countSteps, measured, perfFigures } from '../../src/ui/perf';

const busy = (ms: number) => { const end = performance.now() + ms; while (performance.now() < end); };

describe("the page's own figures", () => {
  it('measured() counts each piece of work by kind, with its total and longest, and returns its value', () => {
    const f = perfFigures();
    f.reset();
    expect(measured('chart-draw', () => { busy(6); return 42; })).toBe(42);
    measured('chart-draw', () => busy(1));
    measured('batch', () => busy(2));
    expect(f.work['chart-draw'].count).toBe(2);
    expect(f.work['chart-draw'].maxMs).toBeGreaterThanOrEqual(6);
    expect(f.work['chart-draw'].totalMs).toBeGreaterThanOrEqual(7);
    expect(f.work['chart-draw'].totalMs).toBeGreaterThan(f.work['chart-draw'].maxMs);
    expect(f.work.batch.count).toBe(1);
    expect(performance.getEntriesByName('misstep:chart-draw').length).toBeGreaterThanOrEqual(2); // in the Performance panel too
  });

  it('a throwing piece is still counted; steps count only forward; reset() starts a fresh window', () => {
    const f = perfFigures();
    f.reset();
    expect(() => measured('runs', () => { throw new Error('boom'); })).toThrow('boom');
    expect(f.work.runs.count).toBe(1);
    countSteps(3);
    countSteps(0);
    countSteps(-5); // a rewind to a checkpoint
    expect(f.steps).toBe(3);
    const before = f.since;
    f.reset();
    expect(f.work).toEqual({});
    expect(f.steps).toBe(0);
    expect(f.since).toBeGreaterThanOrEqual(before);
  });
});
