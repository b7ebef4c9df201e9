// The faint band of logged min..max behind each down-sampled line, drawn as one SVG path per line from the
// chart's own axis scales. A recharts <Area> per band did the same at about twice the cost of the line it
// sits behind (each Area registers with the chart's store, builds label entries for every point, and draws
// two curves): with five runs overlaid, the bands were over half of a chart's redraw (docs/performance.md).
import type { ChartRow } from './data';
import { pointsPath, scratchPoints, usePathCache, type Points2D } from './pathCache';
import { PlotLayer, type Scale } from './PlotLayer';

export interface BandSpec {
  key: string;
  color: string;
  band: ArrayLike<number>; // each row's [min, max] in turn, NaN where the line has no point (ChartData.bands)
}

/** The band's outline in pixels: along the maxima left to right, back along the minima (rows in step order; shared room: ./pathCache.ts). */
export function bandPoints(rows: readonly ChartRow[], band: ArrayLike<number>, x: Scale, y: Scale): Points2D {
  const R = rows.length;
  const xy = scratchPoints(3 * R); // the outline's 2 x m points first, the minima kept at 4R until then
  let m = 0;
  for (let i = 0; i < R; i++) {
    if (Number.isNaN(band[2 * i])) continue;
    const px = x(rows[i].step as number);
    const lo = y(band[2 * i]);
    const hi = y(band[2 * i + 1]);
    if (px === undefined || lo === undefined || hi === undefined) continue;
    xy[2 * m] = px;
    xy[2 * m + 1] = hi;
    xy[4 * R + 2 * m] = px;
    xy[4 * R + 2 * m + 1] = lo;
    m++;
  }
  for (let j = 0; j < m; j++) {
    xy[2 * (m + j)] = xy[4 * R + 2 * (m - 1 - j)];
    xy[2 * (m + j) + 1] = xy[4 * R + 2 * (m - 1 - j) + 1];
  }
  return { xy, n: 2 * m };
}

/** The band's outline as a closed path. */
export const bandPath = (rows: readonly ChartRow[], band: ArrayLike<number>, x: Scale, y: Scale): string => pointsPath(bandPoints(rows, band, x, y), true);

/** The lowest minimum and highest maximum of the given bands over rows from..to, inclusive (null when none has a value). */
export function bandExtent(bands: readonly ArrayLike<number>[], from: number, to: number): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const band of bands) {
    for (let i = Math.max(0, from); i <= to && 2 * i + 1 < band.length; i++) {
      if (band[2 * i] < lo) lo = band[2 * i]; // NaN compares false: rows without a point are skipped
      if (band[2 * i + 1] > hi) hi = band[2 * i + 1];
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Child of a recharts chart: the bands, under the lines, clipped to the plot area. */
export function Bands({ rows, bands }: { rows: readonly ChartRow[]; bands: readonly BandSpec[] }) {
  const paths = usePathCache();
  if (bands.length === 0) return null;
  return (
    <PlotLayer className="misstep-bands" pad={0} draw={(x, y) => {
      paths.sweep();
      return bands.map((b) => (
        <path key={b.key} className="misstep-band" data-key={b.key} d={paths.path(b.key, bandPoints(rows, b.band, x, y), true)} fill={b.color} fillOpacity={0.15} stroke="none" />
      ));
    }} />
  );
}
