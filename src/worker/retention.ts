// Which steps' traces a run keeps: every step of the last `keepLast`, and one step in `keepEvery` before
// that. The same rule prunes the page's memory (the inspector's step picker) and the runs database.
import type { TraceRow } from '../run/records';

export interface TraceRetention {
  keepLast: number; // every step's traces for this many of the latest steps (>= 1)
  keepEvery: number; // before those, the steps that are a multiple of this (>= 1)
}

export const DEFAULT_RETENTION: TraceRetention = { keepLast: 20, keepEvery: 10 };

/** Refuse a retention that would keep nothing sensible, naming the field. */
export function checkRetention(r: TraceRetention): TraceRetention {
  for (const key of ['keepLast', 'keepEvery'] as const) {
    const v = r[key];
    if (!Number.isInteger(v) || v < 1 || v > 100_000) throw new RangeError(`trace retention: ${key} must be an integer from 1 to 100000, got ${String(v)}`);
  }
  return r;
}

/** Whether `step`'s traces are kept when `latest` is the newest step that has traces. */
export function keepsStep(step: number, latest: number, r: TraceRetention): boolean {
  return step > latest - r.keepLast || step % r.keepEvery === 0;
}

/** The traces a run keeps, in their order. */
export function retainTraces(traces: readonly TraceRow[], r: TraceRetention): TraceRow[] {
  if (traces.length === 0) return [];
  const latest = Math.max(...traces.map((t) => t.step));
  return traces.filter((t) => keepsStep(t.step, latest, r));
}

/** How many steps a run of `steps` steps keeps at its end under `r` (for the storage estimate). */
export function keptStepCount(steps: number, r: TraceRetention): number {
  if (steps <= 0) return 0;
  const latest = steps - 1;
  const recent = Math.min(steps, r.keepLast);
  const older = latest - recent; // steps 0 .. older
  return recent + (older >= 0 ? Math.floor(older / r.keepEvery) + 1 : 0);
}

const sizes = new WeakMap<TraceRow, number>();

/**
 * Bytes a trace row takes as stored (its JSON text, UTF-8; the traces are ASCII). Rows never change once
 * made, so each is measured once: the inspector sums every kept row with each batch, and serialising them all
 * again was its largest allocation (about 20 MB in 12 s with four runs overlaid; docs/performance.md).
 */
export function traceBytes(t: TraceRow): number {
  let n = sizes.get(t);
  if (n === undefined) sizes.set(t, (n = JSON.stringify(t).length));
  return n;
}
