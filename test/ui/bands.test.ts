import { describe, expect, it } from 'vitest';
import { bandExtent, bandPath } from '../../src/ui/charts/Bands';
import type { ChartRow } from '../../src/ui/charts/data';

const rows: ChartRow[] = [{ step: 10 }, { step: 20 }, { step: 30 }];
const r0 = Float64Array.of(0.2, 0.6, NaN, NaN, 0.4, 0.5); // r0 has no point in the second bucket
const r1 = Float64Array.of(0.1, 0.3, 0.0, 0.9, NaN, NaN);
const none = new Float64Array(6).fill(NaN);
const x = (v: number) => v * 2;
const y = (v: number) => 100 - 100 * v;

describe('the min..max bands drawn behind down-sampled lines', () => {
  it('outline: along the maxima left to right, back along the minima, closed; buckets without a value skipped', () => {
    expect(bandPath(rows, r0, x, y)).toBe('M20.0,40.0L60.0,50.0L60.0,60.0L20.0,80.0Z');
    expect(bandPath(rows, r1, x, y)).toBe('M20.0,70.0L40.0,10.0L40.0,100.0L20.0,90.0Z');
  });

  it('nothing to draw when the line has no band, or the scale cannot place a point', () => {
    expect(bandPath(rows, none, x, y)).toBe('');
    expect(bandPath(rows, r0, () => undefined, y)).toBe('');
  });

  it('extent: the lowest minimum and highest maximum over the given bands (what the y axis takes in)', () => {
    expect(bandExtent([r0], 0, 2)).toEqual([0.2, 0.6]);
    expect(bandExtent([r0, r1], 0, 2)).toEqual([0.0, 0.9]);
    expect(bandExtent([none], 0, 2)).toBeNull();
    // only the rows the brush shows
    expect(bandExtent([r0, r1], 2, 2)).toEqual([0.4, 0.5]);
    expect(bandExtent([r0, r1], 0, 0)).toEqual([0.1, 0.6]);
  });
});
