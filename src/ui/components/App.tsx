// The lab's page: header, banners, the experiment on the left, charts / inspector / runs / learn on the right.
import { useEffect } from 'react';
import { flushSync } from 'react-dom';
import type { Lab } from '../lab';
import { measured } from '../perf';
import { labStore, setPrefs, useLab, type Tab } from '../store/labStore';
import { Banners, DeviceBadge } from './Banner';
import { Charts } from './Charts';
import { Controls } from './Controls';
import { ExperimentPanel } from './ExperimentPanel';
import { useLabController } from './LabContext';
import { LearnPage } from './LearnPage';
import { RunsPanel } from './RunsPanel';
import { StepView } from './StepView';
import { TraceInspector } from './TraceInspector';

const TABS: { id: Tab; label: string }[] = [
  { id: 'charts', label: 'Charts' },
  { id: 'inspector', label: 'Inspector' },
  { id: 'step', label: 'Step view' },
  { id: 'runs', label: 'Runs' },
  { id: 'learn', label: 'Learn' },
];

/** Space toggles Start / Pause, unless focus is somewhere that uses the key itself. */
function useSpaceToggle(lab: Lab) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== ' ' || e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el?.closest('input, select, textarea, button, summary, a, [contenteditable=""], [contenteditable="true"], [role="tab"]')) return;
      e.preventDefault();
      void lab.toggle();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lab]);
}

export function App() {
  const lab = useLabController();
  const tab = useLab((s) => s.prefs.tab);
  useSpaceToggle(lab);
  // timed with its render (flushSync), so a slow tab switch shows in the page's figures (../perf.ts)
  const select = (t: Tab) => measured('tab', () => flushSync(() => setPrefs(labStore, { tab: t })), t);
  const onTabKey = (e: React.KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : -1;
    if (next < 0) return;
    e.preventDefault();
    select(TABS[next].id);
    document.getElementById(`tab-${TABS[next].id}`)?.focus();
  };

  return (
    <div className="app">
      <header className="topbar">
        <h1>Misstep</h1>
        <span className="tagline">a small transformer learns to reason from its own mistakes</span>
        <DeviceBadge />
      </header>
      <Banners />
      <div className="layout">
        <aside className="side">
          <Controls />
          <ExperimentPanel />
        </aside>
        <main className="main">
          <div className="tabs" role="tablist" aria-label="Views" onKeyDown={onTabKey}>
            {TABS.map((t) => (
              <button key={t.id} id={`tab-${t.id}`} type="button" role="tab" aria-selected={tab === t.id} aria-controls={`panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1} onClick={() => select(t.id)}>
                {t.label}
              </button>
            ))}
          </div>
          {/* the charts stay mounted behind the other tabs, laid out at their width but invisible (not display:none:
              each chart's ResizeObserver would see width 0 and back, a synchronous render per chart, all in one task), and
              skipped by style and layout meanwhile (content-visibility: hidden, styles.css) */}
          <div className={tab === 'charts' ? 'tabpanel' : 'tabpanel offstage'} role="tabpanel" id="panel-charts" aria-labelledby="tab-charts"
            aria-hidden={tab !== 'charts'} inert={tab !== 'charts'}>
            <Charts />
          </div>
          {tab !== 'charts' && (
            <div className="tabpanel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
              {tab === 'inspector' && <TraceInspector />}
              {tab === 'step' && <StepView />}
              {tab === 'runs' && <RunsPanel />}
              {tab === 'learn' && <LearnPage />}
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
