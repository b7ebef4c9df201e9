import { describe, expect, it } from 'vitest';
import { PathCache, pointsPath } from '../../src/ui/charts/pathCache';

const pts = (...xy: number[]) => ({ xy: Float64Array.from(xy), n: xy.length / 2 });

describe('PathCache: a path string made again only when its points moved', () => {
  it('writes M/L with one decimal, Z when closed, nothing for no points', () => {
    expect(pointsPath(pts(1, 2, 3.25, 4))).toBe('M1.0,2.0L3.3,4.0');
    expect(pointsPath(pts(1, 2, 3, 4), true)).toBe('M1.0,2.0L3.0,4.0Z');
    expect(pointsPath(pts())).toBe('');
  });

  it('hands back the last string for the same points, and makes a new one when any point differs', () => {
    const c = new PathCache();
    const a = c.path('a', pts(1, 2, 3, 4));
    expect(c.path('a', pts(1, 2, 3, 4))).toBe(a);
    expect(c.built).toBe(1);
    expect(c.path('a', pts(1, 2, 3, 4.01))).toBe('M1.0,2.0L3.0,4.0'); // the same text, from other points: made again
    expect(c.built).toBe(2);
    expect(c.path('a', pts(1, 2))).toBe('M1.0,2.0');
    expect(c.path('b', pts(1, 2))).toBe('M1.0,2.0'); // keys are apart
    expect(c.built).toBe(4);
  });

  it('keeps its own copy of the points: the caller may reuse its buffer', () => {
    const c = new PathCache();
    const p = pts(1, 2, 3, 4);
    c.path('a', p);
    p.xy[3] = 9;
    expect(c.path('a', p)).toBe('M1.0,2.0L3.0,9.0');
  });

  it('forgets the keys not drawn between two sweeps', () => {
    const c = new PathCache();
    c.sweep();
    c.path('a', pts(1, 2));
    c.path('b', pts(1, 2));
    c.sweep();
    c.path('a', pts(1, 2)); // b is not drawn this time
    c.sweep();
    c.path('a', pts(1, 2));
    c.path('b', pts(1, 2));
    expect(c.built).toBe(3); // a once, b twice (forgotten in between)
  });
});
