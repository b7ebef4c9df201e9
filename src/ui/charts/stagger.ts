// Chart updates are throttled twice: new data at most once a second (useThrottled), and charts redraw one
// per task, with a pause after each redraw proportional to what it cost (so drawing charts takes at most
// about a fifth of the main thread however slow the machine is) and the page stays responsive while training.
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

/** After a redraw that took d ms, the next waits RESTING x d ms (at most MAX_REST_MS). */
const RESTING = 4;
const MAX_REST_MS = 1500;

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

/** `value`, taken up one chart per task (the render happens inside that task, so its cost is known). */
export function useStaggered<T>(value: T, initial: T): T {
  const [shown, setShown] = useState<T>(initial);
  useEffect(() => enqueue(() => flushSync(() => setShown(value))), [value]);
  return shown;
}

/** `value`, changing at most once every `ms` milliseconds (the latest value always lands). */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const land = () => {
      last.current = performance.now();
      setShown(value);
    };
    const wait = last.current + ms - performance.now();
    if (wait <= 0) return land();
    const t = setTimeout(land, wait);
    return () => clearTimeout(t);
  }, [value, ms]);
  return shown;
}
