import { describe, expect, it } from 'vitest';
import { curvesOf, linePath, valueExtent, yDomain } from '../../src/ui/charts/Curves';
import type { ChartLine, ChartRow } from '../../src/ui/charts/data';

const rows: ChartRow[] = [{ step: 10, a: 0.2, b: 0.5 }, { step: 20, a: null, b: 0.9 }, { step: 30, a: 0.4, b: -0.1 }];
const x = (v: number) => v * 2;
const y = (v: number) => 100 - 100 * v;

const line = (key: string, smoothed: boolean): ChartLine => ({ key, dataKey: `${key}s`, rawKey: key, bandKey: null, smoothed, name: key, color: '#000', dash: undefined });

describe('the lines drawn on the chart frame (Curves)', () => {
  it('a path through the rows that have a value, gaps joined', () => {
    expect(linePath(rows, 'step', 'a', x, y)).toBe('M20.0,80.0L60.0,60.0');
    expect(linePath(rows, 'step', 'b', x, y)).toBe('M20.0,50.0L40.0,10.0L60.0,110.0');
    expect(linePath(rows, 'step', 'missing', x, y)).toBe('');
    expect(linePath(rows, 'step', 'a', () => undefined, y)).toBe('');
  });

  it('extent: the lowest and highest value of the given keys over the rows the brush shows', () => {
    expect(valueExtent(rows, ['a'], 0, 2)).toEqual([0.2, 0.4]);
    expect(valueExtent(rows, ['a', 'b'], 0, 2)).toEqual([-0.1, 0.9]);
    expect(valueExtent(rows, ['a', 'b'], 1, 1)).toEqual([0.9, 0.9]);
    expect(valueExtent(rows, ['a'], 1, 1)).toBeNull();
    expect(valueExtent(rows, [], 0, 2)).toBeNull();
  });

  it('y domain: a unit chart shows 0..1 and more only when a value leaves it; another rounds out to nice ticks', () => {
    expect(yDomain([0.2, 0.4], true)).toEqual([0, 1]);
    expect(yDomain([-0.1, 1.3], true)).toEqual([-0.1, 1.3]);
    expect(yDomain(null, true)).toEqual([0, 1]);
    const [lo, hi] = yDomain([0.13, 2.71], false);
    expect(lo).toBeLessThanOrEqual(0.13);
    expect(hi).toBeGreaterThanOrEqual(2.71);
    expect(hi - lo).toBeLessThan(2 * (2.71 - 0.13)); // rounded out, not blown up
    const [flo, fhi] = yDomain([3, 3], false); // a flat line gets room around it
    expect(flo).toBeLessThan(3);
    expect(fhi).toBeGreaterThan(3);
  });

  it('the shown lines, each smoothed one with its logged values faint behind it while rows are not down-sampled', () => {
    const lines = [line('p', true), line('q', false), line('r', true)];
    const hidden = (k: string) => k === 'r';
    const drawn = curvesOf(lines, { rawDrawn: true, dots: false, hidden });
    expect(drawn.map((c) => [c.valueKey, c.faint])).toEqual([['p', true], ['ps', false], ['qs', false]]);
    expect(curvesOf(lines, { rawDrawn: false, dots: true, hidden }).map((c) => [c.valueKey, c.dots])).toEqual([['ps', true], ['qs', true]]);
  });
});
