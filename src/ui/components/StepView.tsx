// The step view: one training step of the running experiment laid open with its live numbers (computed in
// the engine, src/run/explain.ts; this view only draws). While it is shown the worker lays every step open;
// closed, steps cost what they always did. Every number links to its formula on the Learn page.
import { useDeferredValue, useEffect, useState } from 'react';
import type { ExplainedSample, StepExplanation } from '../../run/stepExplanation';
import { displayStep } from '../charts/data';
import { FORMULAS, formulaHref } from '../formulas';
import { labStore, setPrefs, useLab } from '../store/labStore';
import { useLabController } from './LabContext';

const SYMBOL = Object.fromEntries(FORMULAS.map((f) => [f.id, f.symbol]));

function goToFormula(id: string) {
  setPrefs(labStore, { tab: 'learn' });
  setTimeout(() => requestAnimationFrame(() => {
    const el = document.getElementById(id);
    el?.scrollIntoView({ block: 'center' });
    el?.classList.add('flash');
    setTimeout(() => el?.classList.remove('flash'), 2000);
  }), 0);
}

const fmt = (x: number | null, digits = 4) =>
  x === null || !Number.isFinite(x) ? '—' : x === 0 || Math.abs(x) >= 10 ** -(digits - 1) ? x.toFixed(digits) : x.toExponential(2);

/** A number (or a header) that links to its formula. */
function F({ f, children, title }: { f: string; children: React.ReactNode; title?: string }) {
  return (
    <a className="f" href={formulaHref(f)} title={title ?? `${SYMBOL[f] ?? ''}: see the formula on the Learn page`}
      onClick={(e) => { e.preventDefault(); goToFormula(f); }}>
      {children}
    </a>
  );
}

export function StepView() {
  const lab = useLabController();
  const latest = useDeferredValue(useLab((s) => s.explanation)); // drawn in interruptible slices while training
  const [held, setHeld] = useState<StepExplanation | null>(null); // a step kept on screen while training goes on
  const e = held ?? latest;
  const status = useLab((s) => s.status);
  const readOnly = useLab((s) => s.readOnly);
  useEffect(() => {
    lab.explain(true).catch(() => undefined); // before the worker is ready: the next open asks again
    return () => { lab.explain(false).catch(() => undefined); };
  }, [lab]);
  const canStep = !readOnly && (status === 'idle' || status === 'paused');
  return (
    <div className="stepview" data-testid="step-view">
      <p className="muted">
        While this view is open, every training step is laid open here with the numbers the trainer used. Each number
        links to its formula on the Learn page.{' '}
        <button type="button" className="small" disabled={!canStep} onClick={() => { setHeld(null); void lab.step(); }}>Lay open the next step</button>{' '}
        <button type="button" className="small" disabled={!e} aria-pressed={held !== null} onClick={() => setHeld(held ? null : latest)}>
          {held ? 'Follow the latest step' : 'Hold this step'}
        </button>
      </p>
      {e ? <Explanation e={e} /> : <p className="empty">Train, or press “Lay open the next step”: the next step appears here.</p>}
    </div>
  );
}

function Explanation({ e }: { e: StepExplanation }) {
  return (
    <>
      <section className="summary" aria-label="The step">
        <div><span className="muted">step</span><strong data-testid="explained-step">{displayStep({ step: e.step, kind: 'train' })}</strong></div>
        <div><span className="muted">method · reward</span>{e.method} · {e.reward}</div>
        <div><span className="muted">aggregation · scaling · μ</span>{e.lossType} · {e.scaleRewards} · {e.numIterations}</div>
        <div><span className="muted"><F f="f-loss">L</F></span><F f="f-loss"><span data-testid="step-loss">{fmt(e.loss, 5)}</span></F></div>
        <div><span className="muted"><F f="f-gradnorm">‖g‖</F> (clip ×{fmt(e.clipCoef, 3)})</span><F f="f-gradnorm">{fmt(e.gradNorm, 5)}</F></div>
        <div><span className="muted"><F f="f-weight">Σ w</F></span><F f="f-weight">{fmt(e.weightSum, 5)}</F></div>
        <div><span className="muted">sequences · trained tokens</span>{e.numSequences} · {e.trainedTokens}</div>
        <div><span className="muted">ε_low · ε_high · β · lr</span>{e.epsLow} · {e.epsHigh} · {e.beta} · {e.lr}</div>
      </section>
      {e.groups.map((g) => (
        <section key={g.group} className="trace-group" aria-label={`Step group ${g.group + 1}`} data-testid="explained-group">
          <header>
            <h3><span className="mono">{g.prompt}</span> <span className="muted">gold {g.gold}{g.label !== null ? ` · majority label ${g.label}` : ''}</span></h3>
            <span><F f="f-mean">mean_g</F> <F f="f-mean">{fmt(g.mean, 3)}</F> · <F f="f-std">std_g</F> <F f="f-std">{fmt(g.std, 3)}</F> · ÷ <F f="f-advantage">{fmt(g.denom, 4)}</F></span>
          </header>
          <table>
            <thead>
              <tr>
                <th className="text">sample</th><th className="text">answer</th><th>clean</th><th><F f="f-reward">rᵢ</F></th>
                <th className="text">why</th><th><F f="f-advantage">Aᵢ</F></th><th><F f="f-delta">Δ log p</F></th><th><F f="f-delta">p′/p</F></th><th />
              </tr>
            </thead>
            <tbody>
              {e.samples.map((s, i) => (s.group === g.group ? <SampleRows key={i} s={s} /> : null))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}

function SampleRows({ s }: { s: ExplainedSample }) {
  const [open, setOpen] = useState(false);
  const delta = s.seqLogpAfter - s.seqLogp;
  return (
    <>
      <tr className={s.correct ? 'is-correct' : 'is-wrong'} data-testid="explained-sample">
        <td className="text mono">
          {s.kind !== 'normal' && <span className={`badge kind-${s.kind}`}>{s.kind}</span>}
          {s.prefix && <span className="tok prefix">{s.prefix}</span>}{s.completion}
        </td>
        <td className="text">{s.answer ?? '—'}</td>
        <td>{s.clean}</td>
        <td><F f="f-reward">{fmt(s.observed, 3)}</F></td>
        <td className="why">{s.why.join('; ')}</td>
        <td><F f="f-advantage">{s.trained ? fmt(s.advantage, 3) : '—'}</F></td>
        <td><F f="f-delta">{s.tokens.length ? fmt(delta, 4) : '—'}</F></td>
        <td><F f="f-delta">{s.tokens.length ? fmt(Math.exp(delta), 4) : '—'}</F></td>
        <td>{s.tokens.length > 0 && <button type="button" className="small" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? 'hide tokens' : 'tokens'}</button>}</td>
      </tr>
      {open && (
        <tr>
          <td colSpan={9}>
            <table data-testid="token-table">
              <thead>
                <tr>
                  <th>t</th><th className="text">token</th><th>log π_old</th><th>log π_θ</th><th><F f="f-ratio">ρₜ</F></th><th><F f="f-clip">clip</F></th>
                  <th><F f="f-weight">wₜ</F></th><th><F f="f-token-loss">ℓₜ</F></th><th><F f="f-share">wₜℓₜ</F></th><th><F f="f-delta">log π_θ′</F></th>
                </tr>
              </thead>
              <tbody>
                {s.tokens.map((t, j) => (
                  <tr key={j} className={`${t.clipped ? 'is-clipped' : ''} ${t.forced ? 'is-forced' : ''}`}>
                    <td>{j + 1}</td>
                    <td className="text mono" title={t.forced ? 'forced prefix token: weight 0' : t.mode}>{t.text === '\n' ? '⏎' : t.text}</td>
                    <td><F f="f-ratio">{fmt(t.oldLogp)}</F></td>
                    <td><F f="f-ratio">{fmt(t.logp)}</F></td>
                    <td><F f="f-ratio">{fmt(t.ratio)}</F></td>
                    <td><F f="f-clip">{t.clipped ?? '—'}</F></td>
                    <td><F f="f-weight">{fmt(t.weight)}</F></td>
                    <td><F f="f-token-loss">{fmt(t.loss)}</F></td>
                    <td><F f="f-share">{fmt(t.share)}</F></td>
                    <td><F f="f-delta">{fmt(t.logpAfter)}</F></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </>
  );
}
