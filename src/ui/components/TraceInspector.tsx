// The trace inspector: any kept step (a slider and a list; the latest by default), every group of it, filters
// with how many traces each holds, colouring, the retention setting with its storage cost, and a pinned
// problem over steps.
import { useDeferredValue, useMemo, useState } from 'react';
import type { TraceRow } from '../../run/records';
import { keptStepCount, traceBytes } from '../../worker/retention';
import { setPrefs, labStore, useLab, type TraceFilter } from '../store/labStore';
import { displayStep } from '../charts/data';
import { ALL_FILTERS, byGroup, filterCounts, FILTER_LABELS, matchesFilters, traceSteps } from '../traces';
import { useLabController } from './LabContext';
import { TraceMeta, TraceText } from './TraceText';

const NO_TRACES: readonly TraceRow[] = [];

export function TraceInspector() {
  const lab = useLabController();
  // deferred: a new step's groups render in interruptible slices, so the page stays responsive while training;
  // and on opening the tab the first render has no traces (a toolbar, at once), the groups following in a
  // render of their own: the click's task no longer builds the whole inspector
  const latest = useLab((s) => s.traces);
  const all = useDeferredValue(latest, NO_TRACES);
  const reading = all === NO_TRACES && latest.length > 0;
  const prefs = useLab((s) => s.prefs);
  const pinned = useLab((s) => s.pinned);
  const history = useLab((s) => s.pinnedHistory);
  const [group, setGroup] = useState<number | null>(null);
  const [picked, setPicked] = useState<number | null>(null); // an update's index; null: follow the latest
  const steps = useMemo(() => traceSteps(all), [all]);
  const index = picked !== null && steps.includes(picked) ? picked : steps[steps.length - 1];
  const traces = useMemo(() => all.filter((t) => t.step === index), [all, index]);
  const counts = useMemo(() => filterCounts(traces), [traces]);
  const groups = byGroup(traces);
  const step = index !== undefined ? displayStep({ step: index, kind: 'train' }) : undefined; // the counter's numbering
  const pick = (i: number) => setPicked(i >= steps[steps.length - 1] ? null : i);
  const toggleFilter = (f: TraceFilter) =>
    setPrefs(labStore, { filters: prefs.filters.includes(f) ? prefs.filters.filter((x) => x !== f) : [...prefs.filters, f] });
  const shown = groups.filter((g) => group === null || g.group === group);

  return (
    <div className="inspector">
      <div className="inspector-toolbar" role="toolbar" aria-label="Inspector options">
        <span className="muted" data-testid="inspected-step">{reading ? 'Reading traces…' : step === undefined ? 'No traces yet' : `Step ${step}, ${groups.length} group${groups.length === 1 ? '' : 's'}${picked === null ? ' (latest)' : ''}`}</span>
        {steps.length > 1 && (
          <div className="step-picker">
            <input type="range" aria-label="Step slider" min={0} max={steps.length - 1} value={Math.max(0, steps.indexOf(index!))}
              onChange={(e) => pick(steps[Number(e.target.value)])} />
            <select aria-label="Step" value={picked === null ? 'latest' : String(index)} onChange={(e) => (e.target.value === 'latest' ? setPicked(null) : pick(Number(e.target.value)))}>
              <option value="latest">latest</option>
              {[...steps].reverse().map((i) => <option key={i} value={i}>step {displayStep({ step: i, kind: 'train' })}</option>)}
            </select>
          </div>
        )}
        <div className="chips" role="group" aria-label="Group">
          <button type="button" className="chip" aria-pressed={group === null} onClick={() => setGroup(null)}>All</button>
          {groups.map((g) => (
            <button key={g.group} type="button" className="chip" aria-pressed={group === g.group} onClick={() => setGroup(g.group)}>G{g.group + 1}</button>
          ))}
        </div>
        <div className="chips" role="group" aria-label="Colour tokens by">
          {(['logprob', 'advantage'] as const).map((c) => (
            <button key={c} type="button" className="chip" aria-pressed={prefs.colorBy === c} onClick={() => setPrefs(labStore, { colorBy: c })}>
              {c === 'logprob' ? 'Colour: log-prob' : 'Colour: advantage'}
            </button>
          ))}
        </div>
        <div className="chips" role="group" aria-label="Show only">
          {ALL_FILTERS.map((f) => (
            <label key={f} className="chip check" data-filter={f}>
              <input type="checkbox" aria-label={FILTER_LABELS[f]} checked={prefs.filters.includes(f)} onChange={() => toggleFilter(f)} />
              {FILTER_LABELS[f]} {!reading && <span className="count" data-testid={`count-${f}`}>{counts[f]}</span>}
            </label>
          ))}
        </div>
      </div>
      {!reading && <Retention traces={all} steps={steps.length} />}
      <Legend />
      {pinned && <Pinned prompt={pinned.prompt} gold={pinned.gold} history={history} onUnpin={() => void lab.pin(null)} colorBy={prefs.colorBy} />}
      {shown.length === 0 && !reading && <p className="empty">Traces of every step appear here while training.</p>}
      {shown.map((g) => {
        const rows = g.rows.filter((t) => matchesFilters(t, prefs.filters));
        const head = g.rows[0];
        const solved = g.rows.filter((t) => t.correct).length;
        return (
          <section key={g.group} className="trace-group" aria-label={`Group ${g.group + 1}`}>
            <header>
              <h3><span className="mono">{head.prompt}</span> <span className="muted">gold {head.gold}</span></h3>
              <span className="muted">{solved}/{g.rows.length} right</span>
              <button type="button" className="small" aria-pressed={pinned?.prompt === head.prompt}
                onClick={() => void lab.pin(pinned?.prompt === head.prompt ? null : { prompt: head.prompt, gold: head.gold })}>
                {pinned?.prompt === head.prompt ? 'Unpin' : 'Pin problem'}
              </button>
            </header>
            {rows.length === 0 ? <p className="muted">No completion of this group matches the filters.</p> : (
              <ol className="completions">
                {rows.map((t, i) => (
                  <li key={i} className={`completion ${t.correct ? 'is-correct' : 'is-wrong'}`} data-testid="completion">
                    <TraceMeta trace={t} />
                    <TraceText trace={t} colorBy={prefs.colorBy} />
                  </li>
                ))}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}

/** The retention setting and what it costs: the kept traces' bytes now, and at the end of the run. */
function Retention({ traces, steps }: { traces: readonly TraceRow[]; steps: number }) {
  const lab = useLabController();
  const retention = useLab((s) => s.prefs.retention);
  const runSteps = useLab((s) => s.config.steps);
  const bytes = useMemo(() => traces.reduce((a, t) => a + traceBytes(t), 0), [traces]);
  const perStep = steps > 0 ? bytes / steps : 0;
  const atEnd = perStep * keptStepCount(runSteps, retention);
  const kb = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${Math.round(b / 1e3)} kB`);
  const set = (key: 'keepLast' | 'keepEvery', raw: string) => {
    const v = Number(raw);
    if (Number.isInteger(v) && v >= 1 && v <= 100_000) void lab.setRetention({ ...retention, [key]: v });
  };
  return (
    <p className="retention muted" data-testid="retention">
      Keep every step's traces for the last{' '}
      <input type="number" aria-label="Keep every step for the last" min={1} max={100000} defaultValue={retention.keepLast} onBlur={(e) => set('keepLast', e.target.value)} />{' '}
      steps and one step in{' '}
      <input type="number" aria-label="One step in" min={1} max={100000} defaultValue={retention.keepEvery} onBlur={(e) => set('keepEvery', e.target.value)} />{' '}
      before. Kept now: {steps} step{steps === 1 ? '' : 's'}, <span data-testid="retention-bytes">{kb(bytes)}</span>
      {perStep > 0 && <>; about {kb(atEnd)} at step {runSteps}</>}.
    </p>
  );
}

function Legend() {
  return (
    <p className="legend">
      <span className="seg role-first-wrong">first wrong step</span>
      <span className="seg role-retracted">retracted</span>
      <span className="seg role-recovery">recovery point</span>
      <span className="tok prefix">noisy prefix</span>
      <span className="hint">hint</span>
      <span className="muted">Colour: orange = unlikely token; green / red = positive / negative advantage.</span>
    </p>
  );
}

function Pinned({ prompt, gold, history, onUnpin, colorBy }: { prompt: string; gold: string; history: TraceRow[]; onUnpin(): void; colorBy: 'logprob' | 'advantage' }) {
  const steps = [...new Set(history.map((t) => t.step))].reverse();
  return (
    <section className="pinned" aria-label="Pinned problem">
      <header>
        <h3>Pinned: <span className="mono">{prompt}</span> <span className="muted">gold {gold}</span></h3>
        <button type="button" className="small" onClick={onUnpin}>Unpin</button>
      </header>
      {steps.length === 0 && <p className="muted">Fresh samples of this problem appear after each step.</p>}
      {steps.map((s) => {
        const rows = history.filter((t) => t.step === s);
        return (
          <div key={s} className="pinned-step">
            <span className="muted">after step {s}: {rows.filter((t) => t.correct).length}/{rows.length} right</span>
            <ol className="completions compact">
              {rows.map((t, i) => <li key={i} className={t.correct ? 'is-correct' : 'is-wrong'}><TraceText trace={t} colorBy={colorBy} /></li>)}
            </ol>
          </div>
        );
      })}
    </section>
  );
}
