// GRPO-extra: G more samples per prompt without any hint, trained in the prompt's group. LTE's compute-matched
// baseline. extraScope 'all': for every prompt (2G each, the usual baseline); 'none_pass': only for prompts
// whose G samples all failed, in a second round with the same rows as LTE's hinted round, so the two draw the
// same number of samples and differ only in the hint (and in LTE's replacement rule).
import type { About } from '../about';
import { bareRequests, nonePassGroups, SECOND_ROUND_ROWS } from './samples';
import { statelessRun, type Method } from './method';

export const grpoExtraAbout = {
  name: 'grpo_extra',
  label: 'GRPO-extra (compute-matched)',
  knobs: [
    { key: 'extraScope', label: 'Extra samples for', help: 'all: G more samples for every prompt; none_pass: only for prompts whose G samples all failed, exactly as many samples as LTE draws, without the hint.' },
  ],
  metrics: ['extra/resampled_groups', 'extra/resampled_solve_rate'],
  charts: [],
  learn: null, // explained with LTE, whose baseline it is
} as const satisfies About;

/** The reward stream of a second round (LTE's hinted round uses the same one: paired draws). */
const SECOND_ROUND_REWARD_STREAM = 3;

export const grpoExtra: Method<{ denoiseRho: number; extraScope: 'all' | 'none_pass' }> = {
  rowsPerPrompt: (c) => (c.extraScope === 'all' ? 2 * c.groupSize : c.groupSize),
  expectedRowsPerPrompt: (c) => (c.extraScope === 'all' ? 2 * c.groupSize : c.groupSize * 1.5), // as LTE's estimate
  checkpoints: () => [],
  async start(env) {
    const G = env.config.groupSize;
    if (env.config.extraScope === 'all') {
      return {
        ...statelessRun(env.config),
        plan: (problems) => problems.flatMap((p, g) => [...bareRequests(p, g, G), ...bareRequests(p, g, G, 'extra')]),
      };
    }
    let last = { resampled: 0, solved: 0 };
    return {
      ...statelessRun(env.config),
      plan: (problems) => problems.flatMap((p, g) => bareRequests(p, g, G)),
      async followUp(round) {
        const groups = nonePassGroups(round.samples, round.problems.length);
        last = { resampled: groups.length, solved: 0 };
        if (groups.length === 0) return [];
        const extra = await round.sample(groups.flatMap((g) => bareRequests(round.problems[g], g, G, 'extra')), SECOND_ROUND_ROWS, SECOND_ROUND_REWARD_STREAM);
        // trained with their group, or not (a prompt the reward kind left out of the update stays out)
        for (const s of extra) s.trained = round.samples.find((o) => o.group === s.group)!.trained;
        last.solved = groups.filter((g) => extra.some((s) => s.group === g && s.observed > 0)).length;
        return extra;
      },
      // as lte/hinted_solve_rate: resampled groups with at least one positive extra sample
      metrics: () => ({ 'extra/resampled_groups': last.resampled, 'extra/resampled_solve_rate': last.resampled ? last.solved / last.resampled : null }),
    };
  },
};
