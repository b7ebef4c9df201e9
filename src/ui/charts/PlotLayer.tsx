// A layer of our own SVG inside a recharts chart (./Bands.tsx, ./Curves.tsx): the chart's axis scales, and a
// group at the chart's z-index for its kind, clipped to the plot area (`pad` pixels more on each side, so a
// line's stroke and dots at the edge are not cut in half).
import { useId, type ReactNode } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale, ZIndexLayer } from 'recharts';

export type Scale = (v: number) => number | undefined;

interface Props {
  zIndex: number;
  className: string;
  pad: number;
  /** What to draw with the chart's scales, and the id of the clip path to use (`clipPath="url(#id)"`). */
  draw: (x: Scale, y: Scale, clip: string) => ReactNode;
}

export function PlotLayer({ zIndex, className, pad, draw }: Props) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const plot = usePlotArea();
  const clip = `clip-${useId().replace(/:/g, '')}`;
  if (!x || !y || !plot) return null;
  return (
    <ZIndexLayer zIndex={zIndex}>
      <g className={className}>
        <defs><clipPath id={clip}><rect x={plot.x - pad} y={plot.y - pad} width={plot.width + 2 * pad} height={plot.height + 2 * pad} /></clipPath></defs>
        {draw(x, y, clip)}
      </g>
    </ZIndexLayer>
  );
}
