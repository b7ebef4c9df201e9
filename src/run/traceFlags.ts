// What the inspector flags in a trace, decided once in the engine from the verifier's verdict (the page only
// reads the flags that travel with each trace row; it never re-parses the text).
import type { SampleKind } from '../rl/methods/samples';

/** The flags a trace can carry, in the order the inspector lists them. */
export const TRACE_FLAGS = ['recovered', 'retracted', 'flipped', 'hinted', 'prefixed', 'wrong_reason', 'wrong_conclusion'] as const;
export type TraceFlag = (typeof TRACE_FLAGS)[number];

/** What the flags are computed from: the verifier's step verdicts and the sample's own facts. */
export interface FlagInputs {
  kind: SampleKind;
  hint: string;
  prefix: string;
  flipped: boolean;
  correct: boolean;
  answer: string | null;
  retractions: number;
  recoveredAt: number | null;
  steps: readonly { ok: boolean; retracted: boolean }[];
}

/**
 * - recovered: a retraction replaced a wrong step by a right one; retracted: at least one '!' step.
 * - wrong_reason ("right for the wrong reason"): the final answer is right but a step that was kept (never
 *   retracted) is wrong: what an outcome reward and RPR cannot see.
 * - wrong_conclusion: every kept step is right, yet the stated answer is wrong (a slip in the last line).
 *   A trace with no step or no answer (cut off) is not flagged.
 */
export function traceFlags(x: FlagInputs): TraceFlag[] {
  const kept = x.steps.filter((s) => !s.retracted);
  const has: Record<TraceFlag, boolean> = {
    recovered: x.recoveredAt !== null,
    retracted: x.retractions > 0,
    flipped: x.flipped,
    hinted: x.kind === 'hinted' || x.hint !== '',
    prefixed: x.kind === 'prefixed' || x.prefix !== '',
    wrong_reason: x.correct && kept.some((s) => !s.ok),
    wrong_conclusion: !x.correct && x.answer !== null && kept.length > 0 && kept.every((s) => s.ok),
  };
  return TRACE_FLAGS.filter((f) => has[f]);
}
