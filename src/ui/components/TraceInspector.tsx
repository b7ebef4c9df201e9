// The trace inspector: the latest step's groups, filters, colouring, and a pinned problem over steps.
import { useState } from 'react';
import type { TraceRow } from '../../run/records';
import { setPrefs, labStore, useLab, type TraceFilter } from '../store/labStore';
import { displayStep } from '../charts/data';
import { ALL_FILTERS, byGroup, matchesFilters } from '../traces';
import { useLabController } from './LabContext';
import { TraceMeta, TraceText } from './TraceText';

export function TraceInspector() {
  const lab = useLabController();
  const traces = useLab((s) => s.traces);
  const prefs = useLab((s) => s.prefs);
  const pinned = useLab((s) => s.pinned);
  const history = useLab((s) => s.pinnedHistory);
  const [group, setGroup] = useState<number | null>(null);
  const groups = byGroup(traces);
  const step = traces[0] ? displayStep({ step: traces[0].step, kind: 'train' }) : undefined; // the counter's numbering
  const toggleFilter = (f: TraceFilter) =>
    setPrefs(labStore, { filters: prefs.filters.includes(f) ? prefs.filters.filter((x) => x !== f) : [...prefs.filters, f] });
  const shown = groups.filter((g) => group === null || g.group === group);

  return (
    <div className="inspector">
      <div className="inspector-toolbar" role="toolbar" aria-label="Inspector options">
        <span className="muted">{step === undefined ? 'No traces yet' : `Step ${step}, ${groups.length} group${groups.length === 1 ? '' : 's'}`}</span>
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
            <label key={f} className="chip check"><input type="checkbox" checked={prefs.filters.includes(f)} onChange={() => toggleFilter(f)} />{f}</label>
          ))}
        </div>
      </div>
      <Legend />
      {pinned && <Pinned prompt={pinned.prompt} gold={pinned.gold} history={history} onUnpin={() => void lab.pin(null)} colorBy={prefs.colorBy} />}
      {shown.length === 0 && <p className="empty">Traces of the latest step appear here while training.</p>}
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
