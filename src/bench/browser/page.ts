// The bench page's main thread: starts the worker (which runs every measurement), and meanwhile watches
// its own main thread for long tasks (PerformanceObserver 'longtask', tasks > 50 ms), as the lab's page
// would see them while a training loop runs in its worker. Publishes window.__benchReport when done.
import type { LongTasks } from '../report';
import type { WorkerMessage } from './protocol';

const long: number[] = [];
let watchedFrom = 0;
let watchedMs = 0;
let steps = 0;
let watching = false;
new PerformanceObserver((list) => {
  if (!watching) return;
  for (const e of list.getEntries()) long.push(e.duration);
}).observe({ type: 'longtask', buffered: false });

window.__benchLog = [];
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.postMessage(Object.fromEntries(new URLSearchParams(location.search)));
worker.onmessage = (ev: MessageEvent<WorkerMessage>) => {
  const m = ev.data;
  if (m.kind === 'log') window.__benchLog?.push(m.text);
  else if (m.kind === 'training') {
    if (m.running) { watching = true; watchedFrom = performance.now(); }
    else { watching = false; watchedMs += performance.now() - watchedFrom; steps += m.steps; }
  } else if (m.kind === 'done') {
    const lt: LongTasks = {
      source: 'bench page main thread while the Web Worker ran GRPO training steps (WebGPU)',
      count: long.length, max_ms: long.length ? Math.max(...long) : 0, total_ms: long.reduce((a, b) => a + b, 0),
      observed_ms: watchedMs, training_steps: steps,
    };
    window.__benchReport = { ...m.part, main_thread_longtasks: lt, training_loop: m.loop };
  } else window.__benchReport = { error: m.error };
};
worker.onerror = (ev: ErrorEvent) => {
  window.__benchReport = { error: `the bench worker failed to load or threw: ${ev.message}` };
};
