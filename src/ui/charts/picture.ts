// A chart off screen is kept as a picture: a copy of its drawing (the DOM recharts drew, cloned), while the
// live chart, its React tree and its recharts store, are let go. Eleven live charts were half the page's
// heap, and every full collection walks and compacts it (docs/performance.md, "The lab page"). The picture
// is of the runs as they were: it holds while the same runs, drawn with the same settings, only grow; any
// other change (a run added or removed, a rewind, smoothing, zoom, a hidden line, the width) draws the chart
// again, and a chart scrolled back into view draws live.
import type { StepRange } from './downsample';
import { displayStep, type ChartRun } from './data';

export interface PictureOf {
  /** What the chart showed besides its data's length: the runs, by id and name, and the drawing's settings. */
  key: string;
  /** Each run's train and eval rows when it was drawn. */
  lengths: number[];
}

/** What a picture of these runs, drawn with these settings, shows (see pictureHolds). */
export function pictureOf(runs: readonly ChartRun[], settings: { smoothing: number; zoom: StepRange | null; hidden: string; width: number }): PictureOf {
  const zoom = settings.zoom ? `${settings.zoom.from}-${settings.zoom.to}` : 'all';
  return {
    key: [...runs.map((r) => `${r.id}\u0000${r.name}`), `smoothing ${settings.smoothing}`, `zoom ${zoom}`, `hidden ${settings.hidden}`, `width ${settings.width}`].join('\n'),
    lengths: runs.flatMap((r) => [r.series.train.length, r.series.evals.length]),
  };
}

/** Whether a picture taken of `then` still stands for `now`: the same runs and settings, no run shorter (a rewind redraws). */
export function pictureHolds(then: PictureOf, now: PictureOf): boolean {
  return then.key === now.key && then.lengths.length === now.lengths.length && then.lengths.every((n, i) => now.lengths[i] >= n);
}

/**
 * A copy of what recharts drew in `box` (its wrapper: the SVG, the brush), or null when nothing is drawn. The
 * copy is inert: no React, no listeners; ids inside it (clip paths) stay unique, as the live chart is
 * removed when the copy takes its place.
 */
export function copyDrawing(box: HTMLElement): Element | null {
  const live = box.querySelector('.recharts-wrapper');
  return live ? live.cloneNode(true) as Element : null;
}

/** What a picture says of itself, from the runs it drew: the step the first run (the live one) had reached, as the x axis counts. */
export function asOfLabel(runs: readonly ChartRun[]): string {
  const series = runs[0]?.series;
  if (!series) return 'as last drawn';
  const steps: number[] = [];
  if ('metrics' in series.train) {
    for (const p of series.train.metrics.values()) if (p.xs.length > 0) steps.push(p.xs[p.xs.length - 1]);
  } else if (series.train.length > 0) steps.push(displayStep(series.train[series.train.length - 1]));
  if (series.evals.length > 0) steps.push(displayStep(series.evals[series.evals.length - 1]));
  return steps.length > 0 ? `as of step ${Math.max(...steps)}` : 'as last drawn';
}
