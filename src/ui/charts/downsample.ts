// Down-sampling long series for drawing (the data itself is never thinned: CSV and the store keep every
// step). Steps are cut into buckets on one grid shared by every line of a chart, so the lines of a chart
// land on the same rows; each bucket keeps, per line, its last point and the min and max of its values
// (a spike inside a bucket still shows, in the faint min/max band). A zoomed step range gets buckets of its
// own, finer than those outside it, so zooming in shows detail while the brush still overviews the rest.

/** A bucket of steps [from, to], both inclusive. */
export interface Bucket {
  from: number;
  to: number;
}

export interface StepRange {
  from: number;
  to: number;
}

/** Buckets of `width` steps covering [from, to] (the last one may be shorter). */
function cut(from: number, to: number, width: number, out: Bucket[]): void {
  for (let a = from; a <= to; a += width) out.push({ from: a, to: Math.min(to, a + width - 1) });
}

const widthFor = (span: number, maxBuckets: number) => Math.max(1, Math.ceil(span / Math.max(1, maxBuckets)));

/**
 * The bucket grid over integer steps [min, max]: at most about `maxBuckets` buckets over the whole span,
 * and, when `zoom` is given, at most about `maxBuckets` more inside it (so the zoomed view gets its own
 * resolution). Buckets are in step order, cover every step once, and are one step wide when the span is
 * short enough.
 */
export function bucketGrid(min: number, max: number, maxBuckets: number, zoom: StepRange | null = null): Bucket[] {
  const out: Bucket[] = [];
  if (!(max >= min)) return out;
  const coarse = widthFor(max - min + 1, maxBuckets);
  const lo = zoom ? Math.max(min, Math.ceil(zoom.from)) : min;
  const hi = zoom ? Math.min(max, Math.floor(zoom.to)) : max;
  if (!zoom || hi < lo) {
    cut(min, max, coarse, out);
    return out;
  }
  if (lo > min) cut(min, lo - 1, coarse, out);
  cut(lo, hi, widthFor(hi - lo + 1, maxBuckets), out);
  if (hi < max) cut(hi + 1, max, coarse, out);
  return out;
}

/** One line's summary of one bucket: its first step, its last point (x, raw y, drawn y), the raw min and max. */
export interface BucketPoint {
  first: number; // the bucket's first logged step
  x: number; // its last
  y: number; // the raw value at x
  drawn: number; // the drawn (maybe smoothed) value at x
  min: number;
  max: number;
  n: number; // points in the bucket
}

/**
 * Summarise points (x ascending, integer steps) into `grid`: result[i] is bucket i's summary, or null where
 * the line has no point in it. `drawn` (same length as xs) is the drawn value of each point.
 */
export function summarise(xs: ArrayLike<number>, ys: ArrayLike<number>, drawn: ArrayLike<number>, grid: readonly Bucket[]): (BucketPoint | null)[] {
  const out: (BucketPoint | null)[] = new Array(grid.length).fill(null);
  let b = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    while (b < grid.length && grid[b].to < x) b++;
    if (b === grid.length) break;
    if (x < grid[b].from) continue; // outside the grid
    const y = ys[i];
    const p = out[b];
    if (p === null) out[b] = { first: x, x, y, drawn: drawn[i], min: y, max: y, n: 1 };
    else {
      p.x = x;
      p.y = y;
      p.drawn = drawn[i];
      if (y < p.min) p.min = y;
      if (y > p.max) p.max = y;
      p.n++;
    }
  }
  return out;
}

/** Where a step range falls in rows ordered by step: the first and last row inside it (the whole when none). */
export function rangeIndexes(steps: readonly number[], range: StepRange | null): { startIndex: number; endIndex: number } {
  const last = steps.length - 1;
  if (!range || steps.length === 0) return { startIndex: 0, endIndex: Math.max(0, last) };
  let start = steps.findIndex((s) => s >= range.from);
  let end = -1;
  for (let i = last; i >= 0; i--) if (steps[i] <= range.to) { end = i; break; }
  if (start < 0 || end < start) return { startIndex: 0, endIndex: Math.max(0, last) };
  if (start === end) { start = Math.max(0, start - 1); end = Math.min(last, end + 1); } // a brush needs two rows
  return { startIndex: start, endIndex: end };
}
