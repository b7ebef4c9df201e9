// A layer of our own SVG inside a recharts chart (./Bands.tsx, ./Curves.tsx): the chart's axis scales, and a
// group clipped to the plot area (`pad` pixels more on each side, so a line's stroke and dots at the edge are
// not cut in half). The group is drawn where it stands among the chart's children (ChartCard puts the grid,
// the bands, then the curves; recharts draws the axes over them), not in one of recharts' z-index layers:
// each layer is a React portal, and React registers a listener for every event it handles on each portal's
// container: live heap that every full collection walks and compacts (docs/performance.md, "The lab page").
import { useId, type ReactNode } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

export type Scale = (v: number) => number | undefined;

interface Props {
  className: string;
  pad: number;
  /** What to draw with the chart's scales (inside one group clipped to the plot area). */
  draw: (x: Scale, y: Scale) => ReactNode;
}

export function PlotLayer({ className, pad, draw }: Props) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const plot = usePlotArea();
  const clip = `clip-${useId().replace(/:/g, '')}`;
  if (!x || !y || !plot) return null;
  return (
    <g className={className}>
      <defs><clipPath id={clip}><rect x={plot.x - pad} y={plot.y - pad} width={plot.width + 2 * pad} height={plot.height + 2 * pad} /></clipPath></defs>
      <g clipPath={`url(#${clip})`}>{draw(x, y)}</g>
    </g>
  );
}
