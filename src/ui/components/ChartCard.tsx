// One chart under a heading that names it: axis titles, the logged values faint behind the smoothed line
// (lines and bands drawn by ../charts/Curves.tsx and ../charts/Bands.tsx on recharts' frame), a legend
// whose entries hide and show their line, a brush that zooms every chart to a step range (one
// store field), hover values, and PNG / CSV export. The chart's data is built and drawn in a task of its
// own (../charts/stagger.ts), down-sampled to its width (../charts/downsample.ts). Off screen, once drawn,
// the chart is kept as a picture of its drawing and its live recharts tree let go (../charts/picture.ts).
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { Brush, CartesianGrid, ComposedChart, Tooltip, XAxis, YAxis } from 'recharts';
import { bandExtent, Bands } from '../charts/Bands';
import { Curves, curvesOf, valueExtent, yDomain } from '../charts/Curves';
import { ChartLegend, HoverValues } from '../charts/LineKey';
import type { ChartSpec } from '../charts/catalog';
import { buildPassAtKChart, buildSeriesChart, type ChartData, type ChartRow, type ChartRun } from '../charts/data';
import { rangeIndexes, type StepRange } from '../charts/downsample';
import { exportCsv, exportPng } from '../charts/exportChart';
import { axisTitles, exportLines, hiddenKey, toggleHidden } from '../charts/legend';
import { asOfLabel, copyDrawing, pictureHolds, pictureOf, type PictureOf } from '../charts/picture';
import { staggered, useStaggered, useThrottled } from '../charts/stagger';
import { measured } from '../perf';
import { labStore, useLab } from '../store/labStore';

interface Props {
  spec: ChartSpec;
  runs: ChartRun[];
  /** Full run names, in the order of `runs` (the legend may shorten them; an export does not). */
  runNames: string[];
  smoothing: number;
}

/**
 * Whether two lists of runs draw the same chart: eval-only charts do not change with train rows. Compared
 * field by field (each batch asks it of every chart; a version string built for it was 3% of the page's
 * allocation while training).
 */
function sameDrawing(spec: ChartSpec, a: readonly ChartRun[], b: readonly ChartRun[]): boolean {
  const evalOnly = spec.kind === 'passAtK' || spec.lines.every((l) => l.source === 'eval');
  return a.length === b.length && a.every((r, i) => {
    const o = b[i];
    return r.id === o.id && r.name === o.name && r.series.evals.length === o.series.evals.length && (evalOnly || r.series.train.length === o.series.train.length);
  });
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The element's width, and whether it is on screen (or near it). */
function useBox(ref: React.RefObject<HTMLElement | null>): { width: number; inView: boolean } {
  const [inView, setInView] = useState(false);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => setInView(entries.some((e) => e.isIntersecting)), { rootMargin: '150px' });
    const ro = new ResizeObserver((entries) => measured('chart-resize', () => flushSync(() => setWidth(Math.floor(entries[0].contentRect.width)))));
    io.observe(el);
    ro.observe(el);
    return () => { io.disconnect(); ro.disconnect(); };
  }, [ref]);
  return { width, inView };
}

/** Whether a pointer went down on the chart's brush and has not come up yet. */
function useBrushDrag(ref: React.RefObject<HTMLElement | null>): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const down = (e: PointerEvent) => { if (e.target instanceof Element && e.target.closest('.recharts-brush')) setDragging(true); };
    const up = () => setDragging(false);
    el.addEventListener('pointerdown', down, { capture: true });
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', up);
    window.addEventListener('blur', up);
    return () => {
      el.removeEventListener('pointerdown', down, { capture: true });
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', up);
      window.removeEventListener('blur', up);
    };
  }, [ref]);
  return dragging;
}

const HEIGHT = 230;
const BRUSH = 20;
/**
 * A chart off screen that has not drawn its runs yet takes new data this seldom; once drawn, it is kept as a
 * picture (../charts/picture.ts) until it comes back into view or what it shows changes.
 */
const OFFSCREEN_MS = 10_000;
/** A chart becomes a picture once off screen this long (scrolled past and back soon after, it stays live). */
const PICTURE_AFTER_MS = 5_000;
/** Pixels per drawn bucket: a line gets about width / 6 points, however long the run. */
const PX_PER_POINT = 6;
const BRUSH_SETTLE_MS = 250;

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));
const kLabel = (row: ChartRow) => `k = ${row.k}`;
const stepLabel = (row: ChartRow) => (typeof row.from === 'number' && row.from !== row.step ? `steps ${row.from}–${row.step}` : `step ${row.step}`);
/** recharts shows its tooltip box only when it has entries of its own; the lines are not its items, so the content decides. */
const HOVER_STYLE = { visibility: 'visible' as const, zIndex: 2 };

interface Target {
  runs: ChartRun[];
  smoothing: number;
  zoom: StepRange | null;
  width: number;
}

/** A copy of the chart's drawing that stands in for it off screen, and what it was a drawing of. */
interface Picture {
  node: Element;
  of: PictureOf;
  drawn: Target;
}

/** The picture, in the chart's box (inert: a copy with no handlers). */
function PictureView({ node }: { node: Element }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => { ref.current?.replaceChildren(node); }, [node]);
  return <div className="chart-picture" ref={ref} inert />;
}

function build(spec: ChartSpec, t: Target, maxPoints: number): ChartData {
  return spec.kind === 'passAtK' ? buildPassAtKChart(t.runs) : buildSeriesChart(t.runs, spec.lines, t.smoothing, { maxPoints, zoom: t.zoom });
}

function ChartCardImpl({ spec, runs, runNames, smoothing }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const { width, inView } = useBox(box);
  const zoom = useLab((s) => s.zoom);
  const hidden = useLab((s) => s.hidden);
  const [error, setError] = useState<string | null>(null);
  const series = spec.kind === 'series';
  const shownRuns = useThrottled(runs, inView ? 0 : OFFSCREEN_MS, 'chart-offscreen');
  // another tab is open (the card is offstage) or the card has no width: it keeps what it drew and draws nothing new
  const onTab = useLab((s) => s.prefs.tab === 'charts');
  // while the brush is dragged the chart keeps what it drew: a redraw mid-drag resets recharts' Brush to its
  // props, and the drag was lost (seen in CI: a drag meant to pass step 1000 ended at 173)
  // (the drawn target, not the latest: a redraw already queued is dropped too)
  const dragging = useBrushDrag(box);
  const hiddenHere = hidden.filter((k) => k.startsWith(hiddenKey(spec.id, ''))).join('\n');
  // off screen, a picture that still holds stands in for the chart, and the chart draws nothing new
  const [picture, setPicture] = useState<Picture | null>(null);
  const now = useMemo(() => pictureOf(shownRuns, { smoothing, zoom: series ? zoom : null, hidden: hiddenHere, width }), [shownRuns, smoothing, series, zoom, hiddenHere, width]);
  const pictured = picture !== null && !inView && pictureHolds(picture.of, now);
  const shown = useRef<Target | null>(null);
  const drawn = useRef<Target | null>(null);
  const target = useMemo<Target | null>(
    () => (dragging || pictured ? drawn.current : width > 0 && onTab ? { runs: shownRuns, smoothing, zoom: series ? zoom : null, width } : shown.current),
    [shownRuns, smoothing, zoom, width, series, onTab, dragging, pictured],
  );
  shown.current = target;
  const drawnTarget = useStaggered<Target | null>(target, null, 'chart-draw', spec.id);
  drawn.current = drawnTarget;
  // built inside the staggered task that draws it
  const data = useMemo(() => (drawnTarget ? build(spec, drawnTarget, Math.max(40, Math.floor(drawnTarget.width / PX_PER_POINT))) : null), [spec, drawnTarget]);
  const headingId = `chart-${spec.id}`;
  const hasData = data !== null && data.lines.length > 0 && data.rows.length > 0;
  const showPicture = picture !== null && picture.drawn === drawnTarget;
  // a chart drawn and up to date, off screen on its tab, becomes a picture: in a task of its own, in turn
  // with the redraws (the copy, and letting the live chart go)
  const wantPicture = onTab && !inView && width > 0 && !dragging && hasData && !showPicture && target === drawnTarget;
  const hiddenNow = useRef(hiddenHere);
  hiddenNow.current = hiddenHere;
  useEffect(() => {
    if (!wantPicture) return;
    let cancel = () => {};
    const wait = setTimeout(() => {
      cancel = staggered(() => {
        const d = drawn.current;
        const node = box.current && copyDrawing(box.current);
        if (!d || !node) return;
        const of = pictureOf(d.runs, { smoothing: d.smoothing, zoom: d.zoom, hidden: hiddenNow.current, width: d.width });
        flushSync(() => setPicture({ node, of, drawn: d }));
      }, 'chart-picture', spec.id);
    }, PICTURE_AFTER_MS);
    return () => { clearTimeout(wait); cancel(); };
  }, [wantPicture, spec.id]);
  // a picture no longer shown is let go
  useEffect(() => { if (picture && picture.drawn !== drawnTarget) setPicture(null); }, [picture, drawnTarget]);
  const anyRows = runs.some((r) => r.series.train.length + r.series.evals.length > 0);
  const axes = axisTitles(spec);
  const isHidden = (key: string) => hidden.includes(hiddenKey(spec.id, key));
  const onToggle = (key: string) => labStore.setState((s) => ({ hidden: toggleHidden(s.hidden, hiddenKey(spec.id, key)) }));

  const png = async () => {
    const svg = box.current?.querySelector('svg.recharts-surface');
    if (!(svg instanceof SVGSVGElement) || !data) return setError('Nothing to export yet.');
    try {
      setError(null);
      const notes = exportLines({
        title: spec.title, runs: runNames, x: axes.x, y: axes.y, smoothing, smoothed: data.lines.some((l) => l.smoothed),
        zoom: series ? zoom : null, hidden: data.lines.filter((l) => isHidden(l.key)).map((l) => l.name.replace(/[\u2066-\u2069]/g, '')),
      });
      await exportPng(spec.title, svg, data.lines.filter((l) => !isHidden(l.key)), notes);
    } catch (e) {
      setError(`PNG export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const csv = () => {
    const full = spec.kind === 'passAtK' ? buildPassAtKChart(runs) : buildSeriesChart(runs, spec.lines, smoothing, { maxPoints: Infinity });
    exportCsv(spec.title, full, smoothing);
  };

  return (
    <section className="chart-card" aria-labelledby={headingId} data-chart={spec.id} data-drawn={hasData ? data.rows.length : 0}>
      <header className="chart-head">
        <h3 id={headingId}>{spec.title}</h3>
        {/* said on the picture: a full-page capture can catch one */}
        {showPicture && <span className="chart-asof">{asOfLabel(picture.drawn.runs)}</span>}
        <div className="chart-actions">
          <button type="button" className="small" aria-label={`Export ${spec.title} as PNG`} disabled={!hasData} onClick={png}>PNG</button>
          <button type="button" className="small" aria-label={`Export ${spec.title} as CSV`} disabled={!hasData} onClick={csv}>CSV</button>
        </div>
      </header>
      <p className="chart-help" title={spec.help}>{spec.help}</p>
      {error && <p className="chart-error" role="alert">{error}</p>}
      <div className="chart-box" ref={box}>
        {!hasData ? (
          <div className="chart-empty">{!anyRows ? 'No data yet: press Start.' : data ? 'This run logs nothing for this chart (see Learn).' : 'Drawing…'}</div>
        ) : (
          <>
            {showPicture ? <PictureView node={picture.node} /> : <Plot spec={spec} data={data} width={drawnTarget!.width} zoom={drawnTarget!.zoom} hidden={hiddenHere} />}
            <ChartLegend lines={data.lines} hidden={isHidden} onToggle={onToggle} />
          </>
        )}
      </div>
    </section>
  );
}


interface ZoomBrushProps {
  startIndex: number | undefined;
  endIndex: number | undefined;
  onChange: (r: { startIndex?: number; endIndex?: number }) => void;
}

/**
 * recharts' Brush, drawn again only when the zoom moves. Its settings go to the chart's store in an effect
 * keyed on a props object made anew each render: every redraw of the chart re-rendered the Brush, and so
 * changed the store twice (settings removed, settings set), each change running every selector of the
 * chart; the data's own change (also twice: cleared, set) is the only one a new point needs. The brush
 * follows the data through the store meanwhile.
 */
const ZoomBrush = memo(function ZoomBrush({ startIndex, endIndex, onChange }: ZoomBrushProps) {
  const zoomed = startIndex !== undefined && endIndex !== undefined ? { startIndex, endIndex } : {};
  return <Brush dataKey="step" height={BRUSH - 4} stroke="#9ca3af" travellerWidth={8} {...zoomed} onChange={onChange} />;
});

interface PlotProps {
  spec: ChartSpec;
  data: ChartData;
  width: number;
  zoom: StepRange | null;
  hidden: string; // this chart's hidden keys, one a line (a string, so an unchanged set compares equal)
}

/** The chart: redrawn only when what it draws changes (not when the card merely re-renders). */
const Plot = memo(function Plot({ spec, data, width, zoom, hidden }: PlotProps) {
  const series = spec.kind === 'series';
  const axes = axisTitles(spec);
  const hiddenSet = new Set(hidden.split('\n'));
  const isHidden = (key: string) => hiddenSet.has(hiddenKey(spec.id, key));
  const brush = series ? rangeIndexes(data.rows.map((r) => r.step as number), zoom) : null;
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (settle.current) clearTimeout(settle.current); }, []);
  // the brush's handler reads the rows drawn now, yet stays one function: ZoomBrush redraws only when its props change
  const rowsNow = useRef(data.rows);
  rowsNow.current = data.rows;
  const onBrush = useCallback((r: { startIndex?: number; endIndex?: number }) => {
    if (r.startIndex === undefined || r.endIndex === undefined) return;
    const rows = rowsNow.current;
    const whole = r.startIndex <= 0 && r.endIndex >= rows.length - 1;
    const next: StepRange | null = whole ? null : { from: (rows[r.startIndex].from ?? rows[r.startIndex].step) as number, to: rows[r.endIndex].step as number };
    if (settle.current) clearTimeout(settle.current);
    settle.current = setTimeout(() => labStore.setState({ zoom: next }), BRUSH_SETTLE_MS);
  }, []);
  const ks = spec.kind === 'passAtK' ? data.rows.map((r) => r.k as number) : [];
  const curves = curvesOf(data.lines, { rawDrawn: !data.downsampled, dots: data.rows.length <= 24, hidden: isHidden });
  const bands = data.downsampled ? data.lines.filter((l) => l.bandKey && !isHidden(l.key)).map((l) => ({ key: l.bandKey!, color: l.color, band: data.bands.get(l.bandKey!)! })) : [];
  // the y axis spans what is drawn over the rows the brush shows: the curves, and the bands' min and max
  const [from, to] = zoom && brush ? [brush.startIndex, brush.endIndex] : [0, data.rows.length - 1];
  const drawnExtent = [valueExtent(data.rows, curves.map((c) => c.valueKey), from, to), bandExtent(bands.map((b) => b.band), from, to)]
    .filter((e): e is [number, number] => e !== null);
  const [y0, y1] = yDomain(drawnExtent.length ? [Math.min(...drawnExtent.map((e) => e[0])), Math.max(...drawnExtent.map((e) => e[1]))] : null, spec.unit === true);
  // an axis whose props changed is registered again with recharts' store: only when the domain did
  const y = useMemo<[number, number]>(() => [y0, y1], [y0, y1]);
  const yLabel = useMemo(() => ({ value: axes.y, angle: -90, position: 'insideLeft' as const, offset: 4, fontSize: 11, style: { textAnchor: 'middle' as const } }), [axes.y]);
  const height = HEIGHT - 24 + (series ? BRUSH : 0);
  return (
    <ComposedChart width={width} height={height} data={data.rows} margin={{ top: 6, right: 12, bottom: 4, left: 4 }}>
      {/* the grid, bands and curves in the chart's own layer (zIndex 0, no portal: ../charts/PlotLayer.tsx says
          why), in this order; recharts draws the axes and their labels over them, in two layers of its own */}
      <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" zIndex={0} />
      {bands.length > 0 && <Bands rows={data.rows} bands={bands} />}
      <Curves rows={data.rows} xKey={data.xKey} curves={curves} />
      {spec.kind === 'passAtK' ? (
        <XAxis dataKey="k" type="number" scale="log" domain={[ks[0] ?? 1, ks[ks.length - 1] ?? 2]} ticks={ks} allowDataOverflow
          tickFormatter={(k: number) => String(k)} fontSize={11} height={34} label={{ value: axes.x, position: 'insideBottom', offset: 3, fontSize: 11 }} />
      ) : (
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} fontSize={11} height={34}
          label={{ value: axes.x, position: 'insideBottom', offset: 3, fontSize: 11 }} />
      )}
      <YAxis type="number" fontSize={11} domain={y} allowDataOverflow tickFormatter={fmt} width={62} label={yLabel} />
      <Tooltip isAnimationActive={false} wrapperStyle={HOVER_STYLE}
        content={(p) => <HoverValues active={p.active} label={p.label} xKey={data.xKey} rows={data.rows} lines={data.lines} hidden={isHidden} xLabel={spec.kind === 'passAtK' ? kLabel : stepLabel} fmt={fmt} />} />
      {series && brush && data.rows.length > 2 && (
        <ZoomBrush startIndex={zoom ? brush.startIndex : undefined} endIndex={zoom ? brush.endIndex : undefined} onChange={onBrush} />
      )}
    </ComposedChart>
  );
});

export const ChartCard = memo(
  ChartCardImpl,
  (a, b) => a.spec === b.spec && a.smoothing === b.smoothing && sameList(a.runNames, b.runNames) && sameDrawing(a.spec, a.runs, b.runs),
);
