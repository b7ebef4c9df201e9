// The shared half of `injectError`: pick which steps to corrupt, let the task rebuild the trace with those
// steps wrong (and later steps recomputed from the wrong results), then check the outcome with the task's own
// verifier and retry until it is exactly what DenoiseRL needs: a trace whose corrupted steps, and only those,
// are judged wrong, and whose final answer is parseable but wrong.
import type { Rng } from '../backend/rng';
import { firstDifference } from './trace';
import type { Injection, Problem, Verdict } from './task';

/** Builds a trace with the given (sorted, distinct) gold step indices corrupted; null if this draw is unusable. */
export type CorruptedTraceBuilder = (corruptedSteps: readonly number[], rng: Rng) => string | null;

// Each attempt fails only in rare cases (errors cancelling out, a result leaving the writable range).
const MAX_ATTEMPTS = 1000;

export function injectVerified(
  problem: Problem,
  rng: Rng,
  count: number,
  goldStepCount: number,
  build: CorruptedTraceBuilder,
  verify: (problem: Problem, completion: string) => Verdict,
): Injection {
  if (!Number.isInteger(count) || count < 1) throw new Error(`injectError: count must be a positive integer, got ${count}`);
  // A trace cannot have more corrupted steps than steps.
  const corruptCount = Math.min(count, goldStepCount);
  const allSteps = Array.from({ length: goldStepCount }, (_, i) => i);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const corruptedSteps = rng.shuffle([...allSteps]).slice(0, corruptCount).sort((a, b) => a - b);
    const text = build(corruptedSteps, rng);
    if (text === null) continue;
    const verdict = verify(problem, text);
    const onlyCorruptedAreWrong =
      verdict.steps.length === goldStepCount && verdict.steps.every((s, i) => s.ok !== corruptedSteps.includes(i));
    if (!onlyCorruptedAreWrong || verdict.answer === null || verdict.answer === problem.answer) continue;
    return { text, corruptedSteps, firstCorruptChar: firstDifference(text, problem.gold) };
  }
  throw new Error(`injectError: could not corrupt ${problem.prompt} in ${MAX_ATTEMPTS} attempts`);
}
