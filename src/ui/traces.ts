// How the inspector reads a trace: the text split into hint, prefix, steps and answer with every mark the
// verifier made, token colours, and the filters. Pure, so the tests check exactly what is drawn.
import type { TraceRow } from '../run/records';
import { TRACE_FLAGS, type TraceFlag } from '../run/traceFlags';
import type { TraceFilter } from './store/labStore';

export type StepRole = 'ok' | 'wrong' | 'first-wrong' | 'retracted' | 'recovery' | 'retraction';

export interface Token {
  ch: string;
  prefix: boolean; // part of the noisy prefix the policy was forced to continue
  logprob: number | null; // the policy's log-prob of this character (null in the prefix)
}

export interface Segment {
  kind: 'step' | 'sep' | 'answer';
  tokens: Token[];
  step: number | null; // index into trace.steps
  roles: StepRole[];
}

export function stepRoles(t: TraceRow, k: number): StepRole[] {
  const s = t.steps[k];
  if (!s) return [];
  const roles: StepRole[] = [s.ok ? 'ok' : 'wrong'];
  if (k === t.first_wrong_step) roles.push('first-wrong');
  if (s.retracted) roles.push('retracted');
  if (s.isRetraction) roles.push('retraction');
  if (k === t.recovered_at) roles.push('recovery');
  return roles;
}

/** The prefix + completion text as steps, separators and the answer, each character with its log-prob. The
 * spans are the verifier's, sent with the trace; a trace stored without them is one plain segment. */
export function segments(t: TraceRow): Segment[] {
  const full = t.prefix + t.completion;
  const tokens: Token[] = [...full].map((ch, i) => {
    const j = i - t.prefix.length;
    return { ch, prefix: j < 0, logprob: j >= 0 ? (t.logprobs[j] ?? null) : null };
  });
  const out: Segment[] = [];
  if (t.answer_start === undefined || t.steps.some((s) => s.start === undefined || s.end === undefined)) {
    return full.length ? [{ kind: 'sep', tokens, step: null, roles: [] }] : [];
  }
  let at = 0;
  t.steps.forEach((s, k) => {
    const start = s.start!;
    const end = s.end!;
    if (start > at) out.push({ kind: 'sep', tokens: tokens.slice(at, start), step: null, roles: [] });
    out.push({ kind: 'step', tokens: tokens.slice(start, end), step: k, roles: stepRoles(t, k) });
    at = end;
  });
  if (t.answer_start !== null) {
    if (t.answer_start > at) out.push({ kind: 'sep', tokens: tokens.slice(at, t.answer_start), step: null, roles: [] });
    out.push({ kind: 'answer', tokens: tokens.slice(t.answer_start), step: null, roles: [t.correct ? 'ok' : 'wrong'] });
  } else if (at < full.length) out.push({ kind: 'sep', tokens: tokens.slice(at), step: null, roles: [] });
  return out;
}

/** Background of a character: low log-prob or the sign and size of the advantage. */
export function tokenColor(tok: Token, t: TraceRow, by: 'logprob' | 'advantage'): string | undefined {
  if (tok.prefix) return undefined;
  if (by === 'advantage') {
    const a = Math.max(-1, Math.min(1, t.advantage / 2));
    if (Math.abs(a) < 0.02) return undefined;
    return a > 0 ? `rgba(5, 150, 105, ${(0.12 + 0.5 * a).toFixed(3)})` : `rgba(220, 38, 38, ${(0.12 - 0.5 * a).toFixed(3)})`;
  }
  if (tok.logprob === null) return undefined;
  const surprise = 1 - Math.exp(tok.logprob); // 0: certain, 1: very unlikely
  return surprise < 0.05 ? undefined : `rgba(217, 119, 6, ${(0.7 * surprise).toFixed(3)})`;
}

/** A trace's flags as the engine sent them. Traces stored before the engine sent flags get the ones their
 * own fields state (no re-parsing: the text-level flags stay off for them). */
export function flagsOf(t: TraceRow): readonly TraceFlag[] {
  if (t.flags) return t.flags;
  const has: Partial<Record<TraceFlag, boolean>> = {
    recovered: t.recovered_at !== null, retracted: t.retractions > 0, flipped: t.flipped,
    hinted: t.kind === 'hinted' || t.hint !== '', prefixed: t.kind === 'prefixed' || t.prefix !== '',
  };
  return TRACE_FLAGS.filter((f) => has[f]);
}

const matches = (t: TraceRow, f: TraceFilter) => (f === 'failed' ? !t.correct : flagsOf(t).includes(f));

/** No filter: everything; otherwise the traces matching any chosen filter. */
export function matchesFilters(t: TraceRow, filters: readonly TraceFilter[]): boolean {
  return filters.length === 0 || filters.some((f) => matches(t, f));
}

export const ALL_FILTERS: readonly TraceFilter[] = ['failed', ...TRACE_FLAGS];

export const FILTER_LABELS: Record<TraceFilter, string> = {
  failed: 'failed', recovered: 'recovered', retracted: 'retracted', flipped: 'flipped', hinted: 'hinted', prefixed: 'prefixed',
  wrong_reason: 'right for the wrong reason', wrong_conclusion: 'wrong conclusion',
};

/** How many of `traces` each filter holds. */
export function filterCounts(traces: readonly TraceRow[]): Record<TraceFilter, number> {
  const out = Object.fromEntries(ALL_FILTERS.map((f) => [f, 0])) as Record<TraceFilter, number>;
  for (const t of traces) for (const f of ALL_FILTERS) if (matches(t, f)) out[f]++;
  return out;
}

/** The steps that have traces, oldest first. */
export function traceSteps(traces: readonly TraceRow[]): number[] {
  return [...new Set(traces.map((t) => t.step))].sort((a, b) => a - b);
}


/** Traces grouped by prompt group, in order. */
export function byGroup(traces: readonly TraceRow[]): { group: number; rows: TraceRow[] }[] {
  const m = new Map<number, TraceRow[]>();
  for (const t of traces) m.set(t.group, [...(m.get(t.group) ?? []), t]);
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([group, rows]) => ({ group, rows }));
}
