// What a judged trace says about errors and their repair, read from the verifier's per-step verdicts. The
// verifier (src/tasks/trace.ts) marks each step ok or not, and a retracted step as retracted, but not which
// retraction retracted which step: that pairing is recomputed here with the verifier's own rule (a '!' step
// retracts the latest kept step), so the recovery metrics never re-parse text and never disagree with it.
import type { StepVerdict, Verdict } from '../tasks/task';

/** For each step, the index of the step it retracted (null: not a retraction, or nothing to retract). */
export function retractedBy(steps: readonly StepVerdict[]): (number | null)[] {
  const kept: number[] = [];
  return steps.map((s, i) => {
    let target: number | null = null;
    if (s.isRetraction) target = kept.pop() ?? null;
    kept.push(i);
    return target;
  });
}

/**
 * Whether the first `prefixLength` characters of a judged text leave a wrong step standing: a complete step
 * (its ';' inside the prefix) that is not ok and not retracted within the prefix. A step cut in the middle
 * does not count: the continuation may still complete it correctly.
 */
export function prefixHoldsError(steps: readonly StepVerdict[], prefixLength: number): boolean {
  const inPrefix = steps.filter((s) => s.end < prefixLength);
  const targets = retractedBy(inPrefix);
  const retracted = new Set(targets.filter((t): t is number => t !== null));
  return inPrefix.some((s, i) => !s.ok && !retracted.has(i));
}

/** The retractions a text's own part (from character `from` on: after a forced prefix) makes. */
export interface RetractionCounts {
  total: number; // '!' steps
  repairing: number; // retracted a wrong step and redid it right
  false: number; // retracted a step that was right
}

export function retractionsFrom(steps: readonly StepVerdict[], from: number): RetractionCounts {
  const targets = retractedBy(steps);
  const counts: RetractionCounts = { total: 0, repairing: 0, false: 0 };
  steps.forEach((s, i) => {
    if (!s.isRetraction || s.start < from) return;
    counts.total++;
    const t = targets[i];
    if (t === null) return;
    if (steps[t].ok) counts.false++;
    else if (s.ok) counts.repairing++;
  });
  return counts;
}

/**
 * How a completion that continues an erroneous prefix ended: `retraction` when it reached the right answer
 * and retracted a wrong step with a right redo on the way, `silent` when it reached the right answer without
 * one (a compensating error, or an answer that does not follow from its columns), `failed` otherwise.
 */
export type RecoveryKind = 'retraction' | 'silent' | 'failed';

export function recoveryKind(verdict: Verdict, prefixLength: number): RecoveryKind {
  if (!verdict.correct) return 'failed';
  return retractionsFrom(verdict.steps, prefixLength).repairing > 0 ? 'retraction' : 'silent';
}
