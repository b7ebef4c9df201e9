// Chart updates are throttled twice: new data at most once a second (useThrottled; a chart off screen, every
// ten seconds), and charts rebuild their data and redraw one per task, with a pause after each redraw proportional to what it cost (so drawing charts takes at most
// about a fifth of the main thread however slow the machine is) and the page stays responsive while training.
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { measured } from '../perf';

/** After a redraw that took d ms, the next waits RESTING x d ms (at most MAX_REST_MS, which bounds the share only up to 1 s redraws). */
const RESTING = 4;
const MAX_REST_MS = 4000;

const queue: (() => void)[] = [];
let scheduled = false;

function pump(): void {
  const job = queue.shift();
  let cost = 0;
  if (job) {
    const t0 = performance.now();
    job();
    cost = performance.now() - t0;
  }
  if (queue.length > 0) setTimeout(pump, Math.min(MAX_REST_MS, RESTING * cost));
  else scheduled = false;
}

function enqueue(job: () => void): () => void {
  queue.push(job);
  if (!scheduled) {
    scheduled = true;
    setTimeout(pump, 0);
  }
  return () => {
    const i = queue.indexOf(job);
    if (i >= 0) queue.splice(i, 1);
  };
}

/** Run `job` in a task of its own, in turn with the charts' redraws (timed as `what`); returns a cancel. */
export function staggered(job: () => void, what: string, detail?: string): () => void {
  return enqueue(() => measured(what, job, detail));
}

/** `value`, taken up one chart per task (the render happens inside that task, so its cost is known: `what`). */
export function useStaggered<T>(value: T, initial: T, what = 'chart-draw', detail?: string): T {
  const [shown, setShown] = useState<T>(initial);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    return staggered(() => flushSync(() => setShown(value)), what, detail);
  }, [value, what, detail, shown]);
  return shown;
}

/**
 * `value`, changing at most once every `ms` milliseconds (the latest value always lands), in a task of its
 * own whose render is timed as `what`.
 */
export function useThrottled<T>(value: T, ms: number, what = 'throttled'): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const land = () => {
      last.current = performance.now();
      measured(what, () => flushSync(() => setShown(value)));
    };
    const t = setTimeout(land, Math.max(0, last.current + ms - performance.now()));
    return () => clearTimeout(t);
  }, [value, ms, what, shown]);
  return shown;
}
