// The chart grid: the current run and up to four overlaid runs, a smoothing slider, the shared zoom. Charts
// take new data at most once a second, one chart per task (../charts/stagger.ts), so the page stays
// responsive while training.
import { useId, useMemo } from 'react';
import { CHARTS } from '../charts/catalog';
import type { ChartRun } from '../charts/data';
import { distinctNames } from '../charts/legend';
import { setPrefs, labStore, useLab } from '../store/labStore';
import { useThrottled } from '../charts/stagger';
import { ChartCard } from './ChartCard';

export function Charts() {
  const series = useLab((s) => s.series);
  const runId = useLab((s) => s.runId);
  const overlays = useLab((s) => s.overlays);
  const smoothing = useLab((s) => s.prefs.smoothing);
  const sliderId = useId();
  const runName = useLab((s) => s.runName);
  const zoom = useLab((s) => s.zoom);
  const { runs, runNames } = useMemo(() => {
    const others = overlays.filter((o) => o.id !== runId);
    // the legend's names: shortened in the middle, so two runs of one preset and seed ("… · #1", "… · #2") stay apart
    const full = [runName || 'this run', ...others.map((o) => o.name)];
    const short = distinctNames(full);
    const list: ChartRun[] = [{ id: runId ?? 'current', name: short[0], series }, ...others.map((o, i) => ({ ...o, name: short[i + 1] }))];
    return { runs: list, runNames: full };
  }, [series, runId, runName, overlays]);
  const shownRuns = useThrottled(runs, 1000, 'chart-data');

  return (
    <div className="charts">
      <div className="charts-toolbar">
        <label htmlFor={sliderId}>Smoothing</label>
        <input id={sliderId} type="range" min={0} max={0.99} step={0.01} value={smoothing}
          onChange={(e) => setPrefs(labStore, { smoothing: Number(e.target.value) })} />
        <output htmlFor={sliderId}>{smoothing.toFixed(2)}</output>
        {zoom && (
          <p className="zoom-note" data-testid="zoom">
            Steps {zoom.from} to {zoom.to}{' '}
            <button type="button" className="link" onClick={() => labStore.setState({ zoom: null })}>Show all steps</button>
          </p>
        )}
        {overlays.length > 0 && (
          <p className="overlay-note">
            Comparing with {overlays.length} saved run{overlays.length > 1 ? 's' : ''}: colour = run, dash = metric; click a legend entry to hide or show its line.{' '}
            <button type="button" className="link" onClick={() => labStore.setState({ overlays: [] })}>Clear comparison</button>
          </p>
        )}
      </div>
      <div className="chart-grid">
        {CHARTS.map((spec) => <ChartCard key={spec.id} spec={spec} runs={shownRuns} runNames={runNames} smoothing={smoothing} />)}
      </div>
    </div>
  );
}
