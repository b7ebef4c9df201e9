// What the charts' legends, axes and exports say: run names that stay apart when shortened, which lines a
// legend click hid, each chart's axis titles, and the text a PNG export carries.
import type { ChartSpec } from './catalog';
import type { StepRange } from './downsample';

/**
 * Names short enough for a legend that stay tellable apart: the middle of a long name gives way, never its
 * end (runs of one preset and seed differ only in their " · #n"), and names still equal get " (2)", " (3)".
 */
export function distinctNames(names: readonly string[], max = 32): string[] {
  const short = names.map((n) => {
    if (n.length <= max) return n;
    const tail = Math.min(n.length, Math.max(8, Math.floor(max / 2)));
    return `${n.slice(0, max - tail - 1)}…${n.slice(n.length - tail)}`;
  });
  const seen = new Map<string, number>();
  return short.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

/** The key under which a chart's line is hidden: the chart and the line's own key. */
export const hiddenKey = (chartId: string, lineKey: string): string => `${chartId}\u0000${lineKey}`;

/** A legend click: hide the line if shown, show it if hidden. */
export function toggleHidden(hidden: readonly string[], key: string): string[] {
  return hidden.includes(key) ? hidden.filter((k) => k !== key) : [...hidden, key];
}

/**
 * Y-axis titles: what the values are, in their unit. A chart missing here (a new one in the catalog) is
 * titled by its own name, so every chart has one.
 */
const Y_TITLES: Record<string, string> = {
  recovery: 'accuracy',
  reward: 'mean reward',
  passk: 'Pass@k',
  'pass-steps': 'accuracy',
  stagnation: 'share',
  srt: 'accuracy / share',
  kl: 'KL (k3)',
  entropy: 'nats per token',
  length: 'characters',
  clip: 'share of tokens',
};

export function axisTitles(spec: Pick<ChartSpec, 'id' | 'title' | 'kind'>): { x: string; y: string } {
  return { x: spec.kind === 'passAtK' ? 'k (log2)' : 'step', y: Y_TITLES[spec.id] ?? spec.title };
}

export interface ExportMeta {
  title: string;
  runs: string[]; // full run names, in legend order
  x: string;
  y: string;
  smoothing: number; // EMA weight; 0 is none
  smoothed: boolean; // the chart has smoothed lines (eval-only charts never smooth)
  zoom: StepRange | null;
  hidden: string[]; // names of the lines a legend click hid
}

/** The lines of text a PNG export carries under its title (also stored in the file's text chunks). */
export function exportLines(m: ExportMeta): string[] {
  const lines = [
    `Runs: ${m.runs.join('; ')}`,
    `Axes: x = ${m.x}, y = ${m.y}`,
    `Smoothing: ${m.smoothed && m.smoothing > 0 ? `EMA ${m.smoothing.toFixed(2)} (faint: logged values)` : 'none (logged values)'}`,
  ];
  if (m.zoom) lines.push(`Steps ${m.zoom.from} to ${m.zoom.to}`);
  if (m.hidden.length) lines.push(`Hidden: ${m.hidden.join('; ')}`);
  return lines;
}
