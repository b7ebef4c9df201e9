// What names a chart's lines, now that ./Curves.tsx draws them outside recharts' items: the legend (one
// button per line, pressed while the line is shown; a click hides or shows it) and the hover values
// (recharts' <Tooltip> with this content: it knows the hovered row, the lines come from here).
import type { ChartLine, ChartRow } from './data';

const swatch = (l: ChartLine) => (
  <svg width={18} height={8} aria-hidden="true">
    <line x1={0} y1={4} x2={18} y2={4} stroke={l.color} strokeWidth={2} strokeDasharray={l.dash} />
  </svg>
);

/** The legend under a chart. */
export function ChartLegend({ lines, hidden, onToggle }: { lines: readonly ChartLine[]; hidden: (key: string) => boolean; onToggle: (key: string) => void }) {
  return (
    <ul className="chart-legend">
      {lines.map((l) => (
        <li key={l.key}>
          <button type="button" className={`chart-legend-item${hidden(l.key) ? ' off' : ''}`} aria-pressed={!hidden(l.key)}
            title={hidden(l.key) ? 'Show this line' : 'Hide this line'} onClick={() => onToggle(l.key)}>
            {swatch(l)}<span className="chart-legend-text">{l.name}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * The hover box: the hovered row's step (or bucket of steps, or k) and each shown line's value there. The row
 * is found by its x value (recharts' active label): the active index counts from the brush's first row.
 */
export function HoverValues({ active, label, xKey, rows, lines, hidden, xLabel, fmt }: {
  active?: boolean;
  label?: unknown;
  xKey: string;
  rows: readonly ChartRow[];
  lines: readonly ChartLine[];
  hidden: (key: string) => boolean;
  xLabel: (row: ChartRow) => string;
  fmt: (v: number) => string;
}) {
  const row = active && label !== undefined ? rows.find((r) => r[xKey] === Number(label)) : undefined;
  if (!row) return null;
  const shown = lines.filter((l) => !hidden(l.key) && typeof row[l.dataKey] === 'number');
  if (shown.length === 0) return null;
  return (
    <div className="chart-hover">
      <p className="chart-hover-label">{xLabel(row)}</p>
      <ul>
        {shown.map((l) => <li key={l.key} style={{ color: l.color }}>{l.name}: {fmt(row[l.dataKey] as number)}</li>)}
      </ul>
    </div>
  );
}
