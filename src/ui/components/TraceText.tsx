// One completion drawn character by character: hint and noisy prefix marked, each step framed by the
// verifier's verdict (first wrong step, retractions, the recovery point), tokens coloured by log-prob or
// by advantage.
import { memo } from 'react';
import type { TraceRow } from '../../run/records';
import { segments, tokenColor, type StepRole } from '../traces';

const ROLE_TEXT: Record<StepRole, string> = {
  ok: 'correct step', wrong: 'wrong step', 'first-wrong': 'first wrong step', retracted: 'retracted later',
  retraction: 'a retraction (!)', recovery: 'recovery point: a retraction that fixed the error',
};

function TraceTextImpl({ trace, colorBy }: { trace: TraceRow; colorBy: 'logprob' | 'advantage' }) {
  return (
    <div className="trace-text mono">
      {trace.hint && <span className="hint" title="LTE hint placed before the prompt">{trace.hint}</span>}
      <span className="prompt-echo" title="the prompt">{trace.prompt}</span>
      {segments(trace).map((seg, i) => (
        <span key={i} className={`seg seg-${seg.kind} ${seg.roles.map((r) => `role-${r}`).join(' ')}`}
          title={seg.step !== null ? `step ${seg.step + 1}: ${seg.roles.map((r) => ROLE_TEXT[r]).join(', ')}` : seg.kind === 'answer' ? (trace.correct ? 'right answer' : 'wrong answer') : undefined}>
          {/* the prefix's characters as one span (one hatched background to paint, not one per character: a
              DenoiseRL step's prefixes were most of the Inspector's paint); every other character its own, with its p */}
          {seg.tokens.some((tok) => tok.prefix) && (
            <span className="tok prefix" title="noisy prefix (forced, not trained)">{seg.tokens.filter((tok) => tok.prefix).map((tok) => tok.ch).join('')}</span>
          )}
          {seg.tokens.map((tok, j) => tok.prefix ? null : (
            <span key={j} className="tok" style={{ background: tokenColor(tok, trace, colorBy) }}
              title={tok.logprob !== null ? `p = ${Math.exp(tok.logprob).toFixed(3)}` : undefined}>
              {tok.ch}
            </span>
          ))}
        </span>
      ))}
      {!trace.finished && <span className="cut" title="no end token within the length budget">…</span>}
    </div>
  );
}

export const TraceText = memo(TraceTextImpl);

export function TraceMeta({ trace }: { trace: TraceRow }) {
  return (
    <div className="trace-meta">
      <span className={`verdict ${trace.correct ? 'ok' : 'bad'}`} aria-label={trace.correct ? 'correct' : 'wrong'}>{trace.correct ? '✓' : '✗'}</span>
      {trace.kind !== 'normal' && <span className={`badge kind-${trace.kind}`}>{trace.kind}</span>}
      <span>answer {trace.answer ?? '—'}</span>
      <span title="clean reward: true correctness">clean {trace.reward_clean.toFixed(2)}</span>
      <span title="observed reward: what the trainer was told">observed {trace.reward_observed.toFixed(2)}</span>
      {trace.flipped && <span className="badge flipped" title="the observed reward differs from the clean one">flipped</span>}
      <span title="advantage">A {trace.advantage >= 0 ? '+' : ''}{trace.advantage.toFixed(2)}</span>
      {trace.recovered_at !== null && <span className="badge recovered">recovered</span>}
      {trace.flags?.includes('wrong_reason') && <span className="badge wrong-reason" title="the answer is right, but a kept step is wrong">right for the wrong reason</span>}
      {trace.flags?.includes('wrong_conclusion') && <span className="badge wrong-conclusion" title="every kept step is right, the stated answer is not">wrong conclusion</span>}
      {!trace.trained && <span className="badge muted" title="not part of the update">not trained</span>}
    </div>
  );
}
