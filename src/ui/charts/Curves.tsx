// Every line of a chart, drawn as one SVG path each from the chart's own axis scales, the way ./Bands.tsx
// draws the bands. recharts keeps the frame (grid, axes, brush, tooltip); it no longer holds the lines: a
// recharts <Line> mounts about 150 React components and keeps its points in several cached versions, and
// with four runs overlaid a chart had ten of them (docs/performance.md, "The lab page"). So the y domain
// is computed here too (`yDomain`), from what is drawn.
import { getNiceTickValues } from 'recharts';
import type { ChartLine, ChartRow } from './data';
import { pointsPath, scratchPoints, usePathCache, type Points2D } from './pathCache';
import { PlotLayer, type Scale } from './PlotLayer';

/** A line as drawn: its value key in the rows, and how it looks. */
export interface CurveSpec {
  key: string;
  valueKey: string;
  color: string;
  width: number;
  opacity: number;
  dash: string | undefined;
  dots: boolean;
  faint: boolean; // the logged values behind a smoothed line
}

/** The line's points through the rows that have a value for it, in pixels (shared room: ./pathCache.ts). */
export function linePoints(rows: readonly ChartRow[], xKey: string, valueKey: string, x: Scale, y: Scale): Points2D {
  const xy = scratchPoints(rows.length);
  let n = 0;
  for (const row of rows) {
    const v = row[valueKey];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    const px = x(row[xKey] as number);
    const py = y(v);
    if (px === undefined || py === undefined) continue;
    xy[2 * n] = px;
    xy[2 * n + 1] = py;
    n++;
  }
  return { xy, n };
}

/** The line's path through the rows that have a value for it (gaps are joined, as recharts' connectNulls did). */
export const linePath = (rows: readonly ChartRow[], xKey: string, valueKey: string, x: Scale, y: Scale): string =>
  pointsPath(linePoints(rows, xKey, valueKey, x, y));

/** The lowest and highest value of `keys` over rows from..to, inclusive (null when none has a value). */
export function valueExtent(rows: readonly ChartRow[], keys: readonly string[], from: number, to: number): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = Math.max(0, from); i <= to && i < rows.length; i++) {
    for (const k of keys) {
      const v = rows[i][k];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * The y axis's domain for a drawn extent: a unit chart always shows 0..1 (and more if a value leaves it);
 * another one rounds out to nice ticks, as recharts' 'auto' domain did. A flat line gets a unit of room.
 */
export function yDomain(extent: [number, number] | null, unit: boolean): [number, number] {
  if (unit) return extent ? [Math.min(0, extent[0]), Math.max(1, extent[1])] : [0, 1];
  if (!extent) return [0, 1];
  const [lo, hi] = extent[0] === extent[1] ? [extent[0] - 0.5, extent[1] + 0.5] : extent;
  const ticks = getNiceTickValues([lo, hi], 5, true);
  return [Math.min(lo, ticks[0]), Math.max(hi, ticks[ticks.length - 1])];
}

/** The curves of the chart's lines that are shown: a faint one of the logged values behind a smoothed one. */
export function curvesOf(lines: readonly ChartLine[], opts: { rawDrawn: boolean; dots: boolean; hidden: (key: string) => boolean }): CurveSpec[] {
  const shown = lines.filter((l) => !opts.hidden(l.key));
  const faint = opts.rawDrawn ? shown.filter((l) => l.smoothed).map((l) => ({ key: `${l.key}|raw`, valueKey: l.rawKey, color: l.color, width: 1, opacity: 0.25, dash: undefined, dots: false, faint: true })) : [];
  return [...faint, ...shown.map((l) => ({ key: l.key, valueKey: l.dataKey, color: l.color, width: 1.6, opacity: 1, dash: l.dash, dots: opts.dots, faint: false }))];
}

/** Child of a recharts chart: the curves, above the bands, clipped to the plot area (and 3 pixels around it). */
export function Curves({ rows, xKey, curves }: { rows: readonly ChartRow[]; xKey: string; curves: readonly CurveSpec[] }) {
  const paths = usePathCache();
  if (curves.length === 0) return null;
  return (
    <PlotLayer className="misstep-curves" pad={3} draw={(x, y) => {
      paths.sweep();
      return curves.map((c) => (
        <g key={c.key}>
          <path className={c.faint ? 'misstep-raw' : 'misstep-line'} data-key={c.key} d={paths.path(c.key, linePoints(rows, xKey, c.valueKey, x, y))} fill="none" stroke={c.color}
            strokeWidth={c.width} strokeOpacity={c.opacity} strokeDasharray={c.dash} strokeLinejoin="round" />
          {c.dots && rows.map((r, i) => {
            const v = r[c.valueKey];
            const px = typeof v === 'number' ? x(r[xKey] as number) : undefined;
            const py = typeof v === 'number' ? y(v) : undefined;
            return px === undefined || py === undefined ? null : <circle key={i} cx={px} cy={py} r={2} fill="#fff" stroke={c.color} strokeWidth={1.4} />;
          })}
        </g>
      ));
    }} />
  );
}
