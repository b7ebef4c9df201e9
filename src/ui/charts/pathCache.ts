// An SVG path's `d` string, made again only when its points moved. With saved runs overlaid, most of a chart's
// lines do not change when the live run gets a point: their points land on the same pixels, so the string
// made last time is handed back. That saves building it: two number-to-string conversions a point, the
// largest allocation of a redraw (docs/performance.md, "The lab page"). The page's DOM work is the same
// either way: React already left an unchanged `d` alone, equal strings being equal props.
import { useRef } from 'react';

/** A path as a list of points, (x, y) pairs in pixels; n is how many pairs of xy are set. */
export interface Points2D {
  xy: Float64Array;
  n: number;
}

let shared = new Float64Array(2048);

/**
 * Room for n points, shared: valid until the next call (a chart's paths are made one after another, and
 * PathCache keeps a copy of what it keeps). One buffer, so a redraw allocates none for its points.
 */
export function scratchPoints(n: number): Float64Array {
  if (shared.length < 2 * n) shared = new Float64Array(2 * 2 * n);
  return shared;
}

/** `M x,y L x,y ...` through the points, one decimal each (an empty string for none). */
export function pointsPath({ xy, n }: Points2D, close = false): string {
  if (n === 0) return '';
  let d = `M${xy[0].toFixed(1)},${xy[1].toFixed(1)}`;
  for (let i = 1; i < n; i++) d += `L${xy[2 * i].toFixed(1)},${xy[2 * i + 1].toFixed(1)}`;
  return close ? `${d}Z` : d;
}

const samePoints = (a: Points2D, b: Points2D): boolean => {
  if (a.n !== b.n) return false;
  for (let i = 0; i < 2 * a.n; i++) if (a.xy[i] !== b.xy[i]) return false;
  return true;
};

/** One chart layer's paths by key: `path` reuses a key's last string when its points are the same numbers. */
export class PathCache {
  private last = new Map<string, { points: Points2D; d: string }>();
  private used = new Set<string>();
  /** How many strings it has made (the rest were handed back). */
  built = 0;

  path(key: string, points: Points2D, close = false): string {
    this.used.add(key);
    const was = this.last.get(key);
    if (was && samePoints(was.points, points)) return was.d;
    const d = pointsPath(points, close);
    this.built++;
    this.last.set(key, { points: { xy: points.xy.slice(0, 2 * points.n), n: points.n }, d });
    return d;
  }

  /** Forget the keys not drawn since the last call (a hidden line, a run taken off the overlay); at each draw's start. */
  sweep(): void {
    for (const key of this.last.keys()) if (!this.used.has(key)) this.last.delete(key);
    this.used.clear();
  }
}

/** A chart layer's own PathCache, for as long as it is mounted. */
export function usePathCache(): PathCache {
  const cache = useRef<PathCache | null>(null);
  cache.current ??= new PathCache();
  return cache.current;
}
