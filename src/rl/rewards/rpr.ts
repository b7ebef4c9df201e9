// Reasoning-pattern rewards (methods.md section 1). The score itself lives with the tasks (rprScore);
// this file only combines it with correctness as the paper's code modes do.

import type { Task } from '../../tasks/task';
import { rprScore } from '../../tasks/rpr';

export type RprMode = 'rpr' | 'rpr_when_wrong';

/**
 * 'rpr': the RPR score only, correctness ignored (the paper's "RPR alone" run).
 * 'rpr_when_wrong': 1 for a correct answer, RPR for a wrong one (an unparseable answer is wrong, so it
 * too earns RPR, which never looks at the answer).
 */
export function rprRewards(
  task: Pick<Task, 'reasoningPatterns'>, // all RPR reads of a task, so tests can pass a two-line stub
  completions: readonly string[],
  correct: readonly boolean[],
  mode: RprMode,
): number[] {
  if (completions.length !== correct.length) {
    throw new RangeError(`rprRewards: lengths differ (${completions.length} vs ${correct.length})`);
  }
  return completions.map((text, i) => (mode === 'rpr_when_wrong' && correct[i] ? 1 : rprScore(task, text)));
}
