// Start / Pause / Step / Reset, Export / Import, and the live step count, speed and ETA.
import { useRef } from 'react';
import { etaSeconds } from '../eta';
import { startBlockers } from '../form';
import { copyLink, exportRun, importRun } from '../runs/actions';
import { useLab } from '../store/labStore';
import { useLabController } from './LabContext';

export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '–';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}:${String(r).padStart(2, '0')}`;
}

const STATUS_TEXT = { idle: 'Ready', loading: 'Loading', running: 'Training', paused: 'Paused', done: 'Finished', error: 'Stopped by an error' } as const;

export function Controls() {
  const lab = useLabController();
  const status = useLab((s) => s.status);
  const message = useLab((s) => s.statusMessage);
  const step = useLab((s) => s.step);
  const steps = useLab((s) => s.config.steps);
  const progress = useLab((s) => s.progress);
  const blockers = useLab((s) => startBlockers(s).join(' '));
  const readOnly = useLab((s) => s.readOnly);
  const ready = useLab((s) => s.backend !== null);
  const runId = useLab((s) => s.runId);
  const runName = useLab((s) => s.runName);
  const tokensPerSec = useLab((s) => {
    const last = s.series.train[s.series.train.length - 1];
    return typeof last?.tokens_per_s === 'number' ? last.tokens_per_s : null;
  });
  const file = useRef<HTMLInputElement>(null);
  const running = status === 'running';
  const busy = running || status === 'loading';
  const blocked = blockers !== '';
  const etaSec = running ? etaSeconds(progress, steps) : null;
  const eta = etaSec !== null ? formatDuration(etaSec) : running ? 'estimating…' : '–';

  return (
    <section className="panel controls" aria-label="Run controls">
      <div className="buttons">
        <button type="button" className="primary" onClick={() => void lab.start()} disabled={!ready || busy || blocked}
          aria-describedby={blocked ? 'start-blocked' : undefined}>Start</button>
        <button type="button" onClick={() => void lab.pause()} disabled={!running}>Pause</button>
        <button type="button" onClick={() => void lab.step()} disabled={!ready || busy || blocked}>Step</button>
        <button type="button" onClick={() => void lab.reset()} disabled={!ready || status === 'loading' || (!runId && step === 0)}>Reset</button>
      </div>
      {blocked && !busy && <p className="start-blocked" id="start-blocked" data-testid="start-blocked">{blockers}</p>}
      {readOnly && (
        <p className="read-only" data-testid="read-only">
          <button type="button" onClick={() => void lab.takeOver()}>Take over</button> Train this run in this tab (the other tab stops).
        </p>
      )}
      <dl className="stats" aria-live="off">
        <div><dt>Step</dt><dd><span data-testid="step-count">{step}</span> / {steps}</dd></div>
        <div><dt>Tokens/s</dt><dd data-testid="tokens-per-sec">{tokensPerSec === null ? '–' : Math.round(tokensPerSec).toLocaleString('en')}</dd></div>
        <div><dt>ETA</dt><dd data-testid="eta">{eta}</dd></div>
      </dl>
      <p className={`status status-${status}`} role="status" data-testid="status">
        <strong>{STATUS_TEXT[status]}</strong>{message ? ` · ${message}` : ''}
      </p>
      {runId && <p className="run-name" title="The current run (saved in this browser)"><bdi>{runName}</bdi></p>}
      <div className="buttons secondary">
        <button type="button" onClick={() => void exportRun(lab)} disabled={!runId}>Export</button>
        <button type="button" onClick={() => file.current?.click()}>Import</button>
        <button type="button" onClick={() => void copyLink(lab)} title="Copy a link to this experiment (every setting and the seed)">Copy link</button>
        <input ref={file} type="file" accept=".json,application/json" hidden data-testid="import-file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) await importRun(lab, f);
          }} />
      </div>
    </section>
  );
}
