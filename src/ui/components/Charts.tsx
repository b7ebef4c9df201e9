// The chart grid: the current run and up to four overlaid runs, a smoothing slider. Charts take new data at
// most once a second, one chart per task (../charts/stagger.ts), so the page stays responsive while training.
import { useId, useMemo } from 'react';
import { CHARTS } from '../charts/catalog';
import type { ChartRun } from '../charts/data';
import { setPrefs, labStore, useLab } from '../store/labStore';
import { useThrottled } from '../charts/stagger';
import { ChartCard } from './ChartCard';

export function Charts() {
  const series = useLab((s) => s.series);
  const runId = useLab((s) => s.runId);
  const overlays = useLab((s) => s.overlays);
  const smoothing = useLab((s) => s.prefs.smoothing);
  const sliderId = useId();
  const runs = useMemo<ChartRun[]>(() => {
    const short = (name: string) => (name.length > 32 ? `${name.slice(0, 31)}…` : name);
    const current: ChartRun = { id: runId ?? 'current', name: 'this run', series };
    return [current, ...overlays.filter((o) => o.id !== runId).map((o) => ({ ...o, name: short(o.name) }))];
  }, [series, runId, overlays]);
  const shownRuns = useThrottled(runs, 1000);

  return (
    <div className="charts">
      <div className="charts-toolbar">
        <label htmlFor={sliderId}>Smoothing</label>
        <input id={sliderId} type="range" min={0} max={0.99} step={0.01} value={smoothing}
          onChange={(e) => setPrefs(labStore, { smoothing: Number(e.target.value) })} />
        <output htmlFor={sliderId}>{smoothing.toFixed(2)}</output>
        {overlays.length > 0 && (
          <p className="overlay-note">
            Comparing with {overlays.length} saved run{overlays.length > 1 ? 's' : ''}: colour = run, dash = metric.{' '}
            <button type="button" className="link" onClick={() => labStore.setState({ overlays: [] })}>Clear comparison</button>
          </p>
        )}
      </div>
      <div className="chart-grid">
        {CHARTS.map((spec) => <ChartCard key={spec.id} spec={spec} runs={shownRuns} smoothing={smoothing} />)}
      </div>
    </div>
  );
}
