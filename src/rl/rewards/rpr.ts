// Reasoning-pattern rewards. The score itself lives with the tasks (rprScore); this file only combines it
// with correctness as the paper's code modes do.

import type { Task } from '../../tasks/task';
import type { About } from '../about';
import type { RewardKind } from './reward';
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

export const rprAbout = {
  name: 'rpr', label: 'Reasoning-pattern reward only', knobs: [], metrics: [], charts: [], learn: null,
} as const satisfies About;

export const rprWhenWrongAbout = {
  name: 'rpr_when_wrong', label: 'Correct, else reasoning pattern', knobs: [], metrics: [], charts: [], learn: null,
} as const satisfies About;

const rprKind = (mode: RprMode): RewardKind => ({
  compute: (b) => ({ observed: rprRewards(b.task, b.items.map((x) => x.completion), b.correct, mode) }),
});
export const rprReward = rprKind('rpr');
export const rprWhenWrongReward = rprKind('rpr_when_wrong');
