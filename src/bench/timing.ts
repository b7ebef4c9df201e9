// Timing helpers of the benchmark: medians of repeated runs after warm-up, on any clock that has
// performance.now() (Node, a page, a Web Worker).

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface TimeOptions {
  warmup: number; // runs thrown away first (pipelines warm, caches grown, JIT settled)
  reps: number; // measured runs; the median is reported
  /** Stop measuring early once this many ms were spent in measured runs (at least 3 runs are kept). */
  budgetMs?: number;
}

/** Median wall-clock ms of `run` (awaited), after `warmup` runs. */
export async function timeMedian(run: () => Promise<void> | void, o: TimeOptions): Promise<number> {
  for (let i = 0; i < o.warmup; i++) await run();
  const times: number[] = [];
  let spent = 0;
  for (let i = 0; i < o.reps; i++) {
    const t0 = performance.now();
    await run();
    const dt = performance.now() - t0;
    times.push(dt);
    spent += dt;
    if (o.budgetMs !== undefined && spent > o.budgetMs && times.length >= 3) break;
  }
  return median(times);
}

/** Fastest wall-clock ms of `run` over `reps` runs after `warmup`: for peak probes (the best the device did). */
export async function timeMin(run: () => Promise<void> | void, o: TimeOptions): Promise<number> {
  for (let i = 0; i < o.warmup; i++) await run();
  let best = Infinity;
  for (let i = 0; i < o.reps; i++) {
    const t0 = performance.now();
    await run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Gives the event loop a turn (so a page or worker stays responsive between long measurements). */
export const yieldToLoop = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
