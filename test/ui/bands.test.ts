import { describe, expect, it } from 'vitest';
import { bandExtent, bandPath } from '../../src/ui/charts/Bands';
import type { ChartRow } from '../../src/ui/charts/data';

const rows: ChartRow[] = [
  { step: 10, r0m0b: [0.2, 0.6], r1m0b: [0.1, 0.3] },
  { step: 20, r0m0b: null, r1m0b: [0.0, 0.9] }, // r0 has no point in this bucket
  { step: 30, r0m0b: [0.4, 0.5] },
];
const x = (v: number) => v * 2;
const y = (v: number) => 100 - 100 * v;

describe('the min..max bands drawn behind down-sampled lines', () => {
  it('outline: along the maxima left to right, back along the minima, closed; buckets without a value skipped', () => {
    expect(bandPath(rows, 'r0m0b', x, y)).toBe('M20.0,40.0L60.0,50.0L60.0,60.0L20.0,80.0Z');
    expect(bandPath(rows, 'r1m0b', x, y)).toBe('M20.0,70.0L40.0,10.0L40.0,100.0L20.0,90.0Z');
  });

  it('nothing to draw when the line has no band, or the scale cannot place a point', () => {
    expect(bandPath(rows, 'r2m0b', x, y)).toBe('');
    expect(bandPath(rows, 'r0m0b', () => undefined, y)).toBe('');
  });

  it('extent: the lowest minimum and highest maximum over the given bands (what the y axis takes in)', () => {
    expect(bandExtent(rows, ['r0m0b'])).toEqual([0.2, 0.6]);
    expect(bandExtent(rows, ['r0m0b', 'r1m0b'])).toEqual([0.0, 0.9]);
    expect(bandExtent(rows, ['nope'])).toBeNull();
  });
});
