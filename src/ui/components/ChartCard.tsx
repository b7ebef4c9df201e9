// One chart under a heading that names it, with hover values and PNG / CSV export.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartSpec } from '../charts/catalog';
import { buildPassAtKChart, buildSeriesChart, type ChartData, type ChartRun } from '../charts/data';
import { exportCsv, exportPng } from '../charts/exportChart';
import { useStaggered } from '../charts/stagger';

interface Props {
  spec: ChartSpec;
  runs: ChartRun[];
  smoothing: number;
}

/** What a chart draws from: eval-only charts do not change with train rows. */
function version(spec: ChartSpec, runs: readonly ChartRun[]): string {
  const evalOnly = spec.kind === 'passAtK' || spec.lines.every((l) => l.source === 'eval');
  return runs.map((r) => `${r.id}:${r.name}:${evalOnly ? '' : r.series.train.length}:${r.series.evals.length}`).join('|');
}

/** The element's width while it is on screen (or near it), 0 when off screen: charts off screen are not drawn. */
function useVisibleWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [inView, setInView] = useState(false);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => setInView(entries.some((e) => e.isIntersecting)), { rootMargin: '150px' });
    const ro = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    io.observe(el);
    ro.observe(el);
    return () => { io.disconnect(); ro.disconnect(); };
  }, [ref]);
  return inView ? width : 0;
}

const HEIGHT = 190;

const fmt = (v: unknown) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : String(v));
const unitDomain: [(min: number) => number, (max: number) => number] = [(min) => Math.min(0, min), (max) => Math.max(1, max)];

function ChartCardImpl({ spec, runs, smoothing }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const width = useVisibleWidth(box);
  const [error, setError] = useState<string | null>(null);
  const data = useMemo(
    () => (spec.kind === 'passAtK' ? buildPassAtKChart(runs) : buildSeriesChart(runs, spec.lines, smoothing)),
    [spec, runs, smoothing],
  );
  const headingId = `chart-${spec.id}`;
  const hasData = data.lines.length > 0 && data.rows.length > 0;
  const target = useMemo(() => (width > 0 && hasData ? { data, width } : null), [data, width, hasData]);
  const drawn = useStaggered<{ data: ChartData; width: number } | null>(target, null);
  const anyRows = runs.some((r) => r.series.train.length + r.series.evals.length > 0);
  const ks = drawn && spec.kind === 'passAtK' ? drawn.data.rows.map((r) => r.k as number) : [];
  const png = async () => {
    const svg = box.current?.querySelector('svg.recharts-surface');
    if (!(svg instanceof SVGSVGElement)) return setError('Nothing to export yet.');
    try {
      setError(null);
      await exportPng(spec.title, svg, data);
    } catch (e) {
      setError(`PNG export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <section className="chart-card" aria-labelledby={headingId} data-chart={spec.id}>
      <header className="chart-head">
        <h3 id={headingId}>{spec.title}</h3>
        <div className="chart-actions">
          <button type="button" className="small" aria-label={`Export ${spec.title} as PNG`} disabled={!hasData} onClick={png}>PNG</button>
          <button type="button" className="small" aria-label={`Export ${spec.title} as CSV`} disabled={!hasData} onClick={() => exportCsv(spec.title, spec.kind === 'passAtK' ? data : buildSeriesChart(runs, spec.lines, smoothing, Infinity), smoothing)}>CSV</button>
        </div>
      </header>
      <p className="chart-help" title={spec.help}>{spec.help}</p>
      {error && <p className="chart-error" role="alert">{error}</p>}
      <div className="chart-box" ref={box}>
        {!hasData ? (
          <div className="chart-empty">{anyRows ? 'This run logs nothing for this chart (see Learn).' : 'No data yet: press Start.'}</div>
        ) : drawn && (
          <LineChart width={drawn.width} height={HEIGHT} data={drawn.data.rows} margin={{ top: 6, right: 12, bottom: 4, left: -12 }}>
            <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
            {spec.kind === 'passAtK' ? (
              <XAxis dataKey="k" type="number" scale="log" domain={[ks[0] ?? 1, ks[ks.length - 1] ?? 2]} ticks={ks} allowDataOverflow
                tickFormatter={(k: number) => String(k)} fontSize={11} label={{ value: 'k (log2)', position: 'insideBottomRight', offset: -2, fontSize: 11 }} />
            ) : (
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} fontSize={11} />
            )}
            <YAxis fontSize={11} domain={spec.unit ? unitDomain : ['auto', 'auto']} tickFormatter={(v: number) => fmt(v)} width={52} />
            <Tooltip formatter={fmt} labelFormatter={(x) => (spec.kind === 'passAtK' ? `k = ${x}` : `step ${x}`)} isAnimationActive={false} />
            {drawn.data.lines.map((l) => (
              <Line key={l.dataKey} dataKey={l.dataKey} name={l.name} stroke={l.color} strokeDasharray={l.dash} strokeWidth={1.6}
                dot={drawn.data.rows.length <= 24 ? { r: 2 } : false} type="linear" connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        )}
      </div>
      {hasData && (
        <ul className="chart-legend">
          {data.lines.map((l) => (
            <li key={l.dataKey}>
              <svg width="22" height="8" aria-hidden="true"><line x1="1" y1="4" x2="21" y2="4" stroke={l.color} strokeWidth="2" strokeDasharray={l.dash} /></svg>
              {l.name}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export const ChartCard = memo(
  ChartCardImpl,
  (a, b) => a.spec === b.spec && a.smoothing === b.smoothing && version(a.spec, a.runs) === version(b.spec, b.runs),
);
