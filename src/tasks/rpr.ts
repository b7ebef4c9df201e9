// The reasoning-pattern reward, RPR (docs/methods.md, "Noisy rewards and RPR"), adapted to our trace language.
//
// Paper code: count the DISTINCT phrases of a fixed list present in the reasoning, divide by 20, cap at 1,
// subtract the repetition ratio of word 20-grams (distinct 20-grams seen more than once / all 20-grams),
// floor at 0.
// Toy adaptation:
//  - Phrases are each task's `reasoningPatterns`; '#' in a pattern stands for any one digit. '#' is not in
//    the vocabulary, so it can never be meant literally.
//  - The divisor is min(20, number of patterns) by default: our lists are shorter than the paper's 40.
//  - "Words" are the completion's steps (split on ';'), and n = 3: our traces have 2 to 6 steps, so 20-grams
//    would never exist. A cost of the small n: a right trace whose columns repeat (33333+44444) is penalised
//    a little too.
//  - The score must not depend on the answer, so every run of digits right after a '>' is replaced by the
//    placeholder '0' before anything is matched: the answer's presence counts, its digits never do.
import type { Task } from './task';

export const RPR_MAX_DIVISOR = 20;
export const RPR_NGRAM = 3;

/** The patterns of the trace language itself, shared by every task; each task adds its own after these. */
export const TRACE_PATTERNS = [
  ';', // a step ends
  '>', // a conclusion
  ';>', // the conclusion follows a finished step
  '!', // a retraction: the model checked a step
  ';!', // a check right after a finished step
] as const;

const compiledPatterns = new Map<string, RegExp>();

/** A pattern as a regular expression: '#' is any digit, everything else literal. */
export function patternRegex(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern);
  if (!regex) {
    const source = [...pattern].map((ch) => (ch === '#' ? '[0-9]' : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))).join('');
    regex = new RegExp(source);
    compiledPatterns.set(pattern, regex);
  }
  return regex;
}

/** The completion with the answer's digits hidden (see the top of this file). */
export function maskAnswers(completion: string): string {
  return completion.replace(/>[0-9]+/g, '>0');
}

/** The distinct patterns found in a completion (answer digits masked). */
export function patternsPresent(patterns: readonly string[], completion: string): string[] {
  const masked = maskAnswers(completion);
  return [...new Set(patterns)].filter((p) => patternRegex(p).test(masked));
}

/** Distinct n-grams of steps that occur more than once, over all n-grams (0 when there are none). */
export function repeatedStepNgramShare(completion: string, n = RPR_NGRAM): number {
  const words = maskAnswers(completion)
    .split(';')
    .filter((w) => w.length > 0); // like the paper's whitespace split, which drops empty words
  const total = words.length - n + 1;
  if (total <= 0) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < total; i++) {
    // '\n' cannot occur in a completion, so it safely separates the words of an n-gram key.
    const key = words.slice(i, i + n).join('\n');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let repeated = 0;
  for (const c of counts.values()) if (c > 1) repeated++;
  return repeated / total;
}

/** RPR of a completion in [0, 1]. Never looks at the answer. */
export function rprScore(
  task: Pick<Task, 'reasoningPatterns'>,
  completion: string,
  divisor = Math.min(RPR_MAX_DIVISOR, task.reasoningPatterns.length),
): number {
  const found = patternsPresent(task.reasoningPatterns, completion).length;
  const patternShare = Math.min(1, found / Math.max(1, divisor));
  return Math.max(0, patternShare - repeatedStepNgramShare(completion));
}
