// The task registry, and the task-side API in one import.
import { additionTask } from './addition';
import { chainTask } from './chain';
import type { Task } from './task';

export const TASKS: Record<string, Task> = {
  [additionTask.name]: additionTask,
  [chainTask.name]: chainTask,
};

/** The task registered under `name`; throws an error listing the valid names otherwise. */
export function getTask(name: string): Task {
  // Own keys only: 'toString' or '__proto__' must not resolve to something that is not a task.
  if (!Object.hasOwn(TASKS, name)) {
    throw new Error(`unknown task ${JSON.stringify(name)}; valid tasks: ${Object.keys(TASKS).join(', ')}`);
  }
  return TASKS[name];
}

export { additionTask, chainTask };
export type { Injection, Problem, Split, StepVerdict, Task, Truncation, Verdict } from './task';
export { makeHint, parseHint, type ParsedHint } from './hint';
export { rprScore, patternsPresent } from './rpr';
export { makeProblemSet, splitOf, EVAL_ONE_IN } from './split';
export { parseTrace, isWellFormedNumber } from './trace';
