// The page's own main-thread cost while it trains, for the end-to-end test and `npm run bench`:
// - every main-thread task over 50 ms (PerformanceObserver 'longtask'), with the time of the first paint;
// - the page's own work, timed with performance.measure around each place it spends main-thread time
//   (a batch from the worker landing in the store and rendering, the chart data being rebuilt, one chart
//   being redrawn), named `misstep:<what>` so the Performance panel shows them too;
// - how many training steps the page took in meanwhile.
// window.__misstepPerf holds the figures; reset() starts a fresh window (the test does after its setup).
export interface WorkFigures {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface PerfFigures {
  /** Milliseconds since navigation of the first paint (null until the browser reports it). */
  firstPaint: number | null;
  /** When the current window began (performance.now()). */
  since: number;
  /** Main-thread tasks over 50 ms that began after the first paint and in the window. */
  longTasks: { start: number; duration: number }[];
  /** The page's own timed work in the window, by kind. */
  work: Record<string, WorkFigures>;
  /** Training steps the page heard of in the window. */
  steps: number;
  reset(): void;
}

declare global {
  interface Window {
    __misstepPerf?: PerfFigures;
  }
}

const figures: PerfFigures = {
  firstPaint: null, since: 0, longTasks: [], work: {}, steps: 0,
  reset() {
    figures.since = performance.now();
    figures.longTasks = [];
    figures.work = {};
    figures.steps = 0;
  },
};

let measures = 0;

/** Run fn and count its main-thread time under `what` (also a performance.measure entry). */
export function measured<T>(what: string, fn: () => T, detail?: string): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    const end = performance.now();
    const w = (figures.work[what] ??= { count: 0, totalMs: 0, maxMs: 0 });
    w.count++;
    w.totalMs += end - start;
    w.maxMs = Math.max(w.maxMs, end - start);
    performance.measure(`misstep:${what}`, { start, end, detail });
    if (++measures % 2000 === 0) performance.clearMeasures(); // the totals above are kept; the timeline need not grow
  }
}

/** The figures (also window.__misstepPerf once startPerf ran). */
export const perfFigures = (): PerfFigures => figures;

/** The page heard of `n` more training steps. */
export function countSteps(n: number): void {
  if (n > 0) figures.steps += n;
}

export function startPerf(): void {
  window.__misstepPerf = figures;
  if (typeof PerformanceObserver === 'undefined') return;
  const types = PerformanceObserver.supportedEntryTypes ?? [];
  if (types.includes('paint')) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (figures.firstPaint === null || e.startTime < figures.firstPaint) figures.firstPaint = e.startTime;
    }).observe({ type: 'paint', buffered: true });
  }
  if (types.includes('longtask')) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (figures.firstPaint === null || e.startTime < figures.firstPaint || e.startTime < figures.since) continue;
        figures.longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
      }
    }).observe({ type: 'longtask', buffered: true });
  }
}
