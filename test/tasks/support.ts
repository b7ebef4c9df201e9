// Shared helpers for the task tests (not a test file itself).
import { Rng } from '../../src/backend/rng';
import { CHARS } from '../../src/tasks/tokenizer';
import type { Problem, Split, Task } from '../../src/tasks/task';

/** `perDifficulty` problems of every difficulty of a task, from both splits, deterministic in `seed`. */
export function sampleProblems(task: Task, perDifficulty: number, seed = 1): Problem[] {
  const rng = new Rng(seed);
  const problems: Problem[] = [];
  for (const d of task.difficulties) {
    for (let i = 0; i < perDifficulty; i++) {
      const split: Split = i % 2 === 0 ? 'train' : 'eval';
      problems.push(task.generate(rng, d, split));
    }
  }
  return problems;
}

/** A random string over the trace characters, biased towards the structural ones so steps and '>' show up. */
export function randomTraceText(rng: Rng, maxLength: number): string {
  const length = rng.int(0, maxLength);
  let text = '';
  for (let i = 0; i < length; i++) text += rng.bernoulli(0.3) ? rng.pick([';', '>', '!', '=', '+']) : rng.pick([...CHARS]);
  return text;
}
