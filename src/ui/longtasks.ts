// Main-thread long tasks (> 50 ms) while the lab runs, for the benchmark and the e2e tests:
// window.__misstepLongTasks = [{ start, duration }] in milliseconds since page load.
declare global {
  interface Window {
    __misstepLongTasks?: { start: number; duration: number }[];
  }
}

export function recordLongTasks(): void {
  const list: { start: number; duration: number }[] = [];
  window.__misstepLongTasks = list;
  if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('longtask')) return;
  new PerformanceObserver((entries) => {
    for (const e of entries.getEntries()) list.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
  }).observe({ type: 'longtask', buffered: true });
}
