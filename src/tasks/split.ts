// Train/eval membership is a pure function of the prompt text, so no list of held-out problems has to be
// stored or shipped, and a problem can never drift between splits across runs, seeds or machines.
// Also here: fixed problem sets (evaluation sets, pretraining pools) reproducible from a seed.
import { Rng, hash32 } from '../backend/rng';
import type { Problem, Split, Task } from './task';

/** One prompt in EVAL_ONE_IN belongs to the eval split. */
export const EVAL_ONE_IN = 8;

// Any fixed value; changing it reshuffles every split (and silently mixes old train and eval problems).
const SPLIT_SALT = 0x7a5c_5e11;

/** A 32-bit hash of a prompt: a hash32 chain over its character codes. */
export function promptHash(prompt: string): number {
  let h = hash32(SPLIT_SALT);
  for (let i = 0; i < prompt.length; i++) h = hash32((h ^ prompt.charCodeAt(i)) >>> 0);
  return h;
}

/** The split a prompt belongs to. Pass the bare problem prompt (no LTE hint in front). */
export function splitOf(prompt: string): Split {
  return promptHash(prompt) % EVAL_ONE_IN === 0 ? 'eval' : 'train';
}

// Far more than the smallest space we have needs (100 one-digit additions, 19 of them eval).
const MAX_DRAWS = 100_000;

/** Call `draw` until its problem falls in `split`. Throws if the split seems empty for this kind of problem. */
export function drawInSplit(split: Split, draw: () => Problem): Problem {
  for (let i = 0; i < MAX_DRAWS; i++) {
    const problem = draw();
    if (splitOf(problem.prompt) === split) return problem;
  }
  throw new Error(`no ${split} problem found in ${MAX_DRAWS} draws: the problem space is too small for this split`);
}

/** Throws a clear error for a difficulty the task does not offer. */
export function assertDifficulty(taskName: string, difficulties: readonly number[], difficulty: number): void {
  if (!difficulties.includes(difficulty)) {
    throw new Error(`${taskName}: difficulty ${difficulty} is not one of ${difficulties.join(', ')}`);
  }
}

// Draws come from this stream of the seed, so a set does not share random numbers with a training run that
// uses the same seed for its own streams.
const PROBLEM_SET_STREAM = 0x5e7;

/**
 * `count` problems with distinct prompts from one split and difficulty, in draw order, deterministic in `seed`.
 * When the split holds fewer than `count` problems (one-digit addition has only 19 eval prompts) it returns
 * every one it finds, so fewer than `count`: it stops once max(2000, 20 x found) draws in a row brought nothing
 * new. Our generators draw every prompt of a split and difficulty equally often, so a prompt still missing then
 * (probability about 1/(found+1) per draw) is left out with chance about e^-20.
 */
export function makeProblemSet(task: Task, seed: number, difficulty: number, split: Split, count: number): Problem[] {
  const rng = new Rng(seed, PROBLEM_SET_STREAM);
  const seen = new Set<string>();
  const problems: Problem[] = [];
  let drawsWithoutNew = 0;
  while (problems.length < count) {
    const problem = task.generate(rng, difficulty, split);
    if (seen.has(problem.prompt)) {
      if (++drawsWithoutNew > Math.max(2000, 20 * problems.length)) break;
      continue;
    }
    seen.add(problem.prompt);
    problems.push(problem);
    drawsWithoutNew = 0;
  }
  return problems;
}
